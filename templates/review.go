package templates

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/disputekit/disputekit/evidence"
)

// Advice is one point of the pre-send check, in the letter's language. It
// never stops a letter from being written: the user decides.
type Advice struct {
	// Code says what kind of point it is: placeholder, mandatory, masked,
	// contradiction, language, role, self-harm or warning.
	Code string `json:"code"`
	Text string `json:"text"`
}

// Review is the pre-send check of a composed letter: placeholders left
// (XX, 某某, blanks to fill), contents the recipient's rule makes mandatory
// but the case lacks, masked or empty identifier fields, amounts or reply
// periods that contradict each other, program words in the wrong language,
// a letter that does not fit the complainant's role, and sentences in the
// user's own facts that may hurt them. The composer's warnings come last.
// The GUI's panel and `dk letter --check` show the same list.
func Review(l Letter) []Advice {
	if load() != nil {
		return nil
	}
	w := wordings[l.Lang]
	if w == nil {
		return nil
	}
	r := &reviewer{l: l, w: w}
	r.placeholders()
	r.mandatory()
	r.masked()
	r.contradictions()
	r.language()
	r.role()
	r.selfHarm()
	for _, s := range l.Warnings {
		r.out = append(r.out, Advice{Code: "warning", Text: s})
	}
	return r.out
}

type reviewer struct {
	l   Letter
	w   *wording
	out []Advice
}

func (r *reviewer) add(code, key string, data any) {
	s, err := r.w.render(r.w.Review[key], data)
	if err != nil || s == "" {
		s = key
	}
	for _, a := range r.out {
		if a.Text == s {
			return
		}
	}
	r.out = append(r.out, Advice{Code: code, Text: s})
}

func (r *reviewer) text() string { return letterPrintedText(r.l) }

// letterPrintedText is every word the letter prints.
func letterPrintedText(l Letter) string {
	var b strings.Builder
	b.WriteString(l.Title + "\n")
	for _, bl := range l.Blocks {
		b.WriteString(bl.Label + " " + bl.Text + "\n")
	}
	for _, e := range l.Evidence {
		b.WriteString(e.Name + " " + e.Source + " " + e.Purpose + "\n")
	}
	return b.String()
}

var placeholderRE = regexp.MustCompile(`XX|ＸＸ|某某|＿{2,}|_{4,}|\{\{|\[填写|\[fill`)

func (r *reviewer) placeholders() {
	seen := map[string]bool{}
	for _, bl := range r.l.Blocks {
		if bl.Kind == BlockSignature {
			continue // the signature line is a blank to sign on
		}
		for _, m := range placeholderRE.FindAllString(bl.Text, -1) {
			if !seen[bl.Text] {
				seen[bl.Text] = true
				r.add("placeholder", "placeholder", map[string]any{"Text": excerpt(bl.Text, m)})
			}
		}
	}
}

// excerpt is a short piece of s around its first m.
func excerpt(s, m string) string {
	rs := []rune(s)
	i := strings.Index(s, m)
	if i < 0 {
		return string(rs[:min(len(rs), 30)])
	}
	start := len([]rune(s[:i]))
	from, to := max(0, start-12), min(len(rs), start+len([]rune(m))+12)
	return string(rs[from:to])
}

func (r *reviewer) mandatory() {
	d := r.l.Dossier
	p := d.Case.Parties()
	have := map[string]bool{
		"complainant_name":        p.Complainant.Name != "" || p.Complainant.Company != "",
		"complainant_phone":       p.Complainant.Phone != "",
		"complainant_address":     p.Complainant.Address != "",
		"complainant_id":          p.Complainant.IDNumber != "" || p.Complainant.Company != "",
		"complainant_credit_code": p.Complainant.CreditCode != "" || p.Complainant.Company == "",
		"respondent_name":         p.Merchant.RegisteredName() != "" || r.l.Role == evidence.RoleMerchant,
		"respondent_address":      p.Merchant.Address != "",
		"requests":                len(r.l.Requests) > 0,
		"facts":                   strings.TrimSpace(d.Case.Facts) != "",
		"merchant_no":             strings.Contains(r.text(), merchantNoOf(d)) && merchantNoOf(d) != "",
		"transaction_ids":         hasTransactionIDs(d),
		"institution_name":        r.l.Institution != "",
		"institution_address":     r.l.InstitutionAddress != "",
		"institution_ticket":      r.l.FirstApproach != nil && r.l.FirstApproach.Ticket != "",
	}
	for _, k := range r.l.Mandatory {
		if ok, known := have[k]; known && !ok {
			r.add("mandatory", "mandatory", map[string]any{"What": r.w.Review["item_"+k]})
		}
	}
}

func merchantNoOf(d evidence.Dossier) string {
	p := d.Case.Parties()
	if p.Merchant.MerchantNo != "" {
		return p.Merchant.MerchantNo
	}
	if d.Case.Respondent.MerchantNo != "" {
		return d.Case.Respondent.MerchantNo
	}
	for _, t := range d.Transactions {
		if t.MerchantNo != "" {
			return t.MerchantNo
		}
	}
	return ""
}

func hasTransactionIDs(d evidence.Dossier) bool {
	for _, t := range d.Transactions {
		if t.Disputed && (t.RRN != "" || t.Voucher != "" || t.OrderNo != "") {
			return true
		}
	}
	return false
}

// identifierLabels are the field labels whose values are typed identifiers:
// a "*" in one means it was stored masked and is lost.
func (r *reviewer) identifierLabels() map[string]bool {
	m := map[string]bool{}
	for _, k := range []string{"merchant_no", "terminal_no", "phone", "credit_code"} {
		m[r.w.Labels[k]] = true
	}
	for _, k := range []string{"merchant_no", "terminal_no", "rrn", "batch", "voucher", "auth"} {
		m[r.w.Sheet[k]] = true
	}
	return m
}

func (r *reviewer) masked() {
	ids := r.identifierLabels()
	for _, bl := range r.l.Blocks {
		if bl.Kind == BlockField && ids[bl.Label] && strings.Contains(bl.Text, "*") {
			r.add("masked", "masked", map[string]any{"Label": bl.Label, "Value": bl.Text})
		}
	}
}

var (
	daysRE = regexp.MustCompile(`(\d+)\s*(?:个工作日|日内|天内|working days|days of|days from)`)
	// diffAmountRE finds an amount the user's facts name as the difference.
	diffAmountRE = regexp.MustCompile(`(?i)(多扣|多收|多出|差额|少结算|少到账|短款|overcharge[ds]?|shortfall|short by)[^¥￥\n]{0,8}[¥￥]\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)`)
)

func (r *reviewer) contradictions() {
	l := r.l
	// One reply period: the letter's own words (not the cited rules) state only the plan's.
	if l.Deadline.Days > 0 {
		for _, m := range daysRE.FindAllStringSubmatch(askingWords(l), -1) {
			if m[1] != fmt.Sprint(l.Deadline.Days) {
				r.add("contradiction", "deadline", map[string]any{"Days": m[1], "Want": l.Deadline.Days})
			}
		}
	}
	for _, q := range l.Requests {
		if q.Amount != 0 && l.Summary.Refund != 0 && q.Amount != l.Summary.Refund {
			r.add("contradiction", "request_amount", map[string]any{"Amount": q.Amount.String(), "Summary": l.Summary.Refund.String()})
		}
	}
	if l.Summary.Refund != 0 {
		for _, m := range diffAmountRE.FindAllStringSubmatch(l.Dossier.Case.Facts, -1) {
			amt, err := evidence.ParseMoney(m[2])
			if err == nil && amt != l.Summary.Refund {
				r.add("contradiction", "facts_amount", map[string]any{"Amount": amt.String(), "Summary": l.Summary.Refund.String()})
			}
		}
	}
}

// askingWords is what the letter asks of the recipient: its requests and
// the closing request before 此致. (What someone said on the phone, or a
// cited rule's time limit, is not the letter's deadline.)
func askingWords(l Letter) string {
	var b strings.Builder
	for _, q := range l.Requests {
		b.WriteString(q.Text + "\n")
	}
	last := ""
	for _, bl := range l.Blocks {
		if bl.Kind == BlockClosing {
			break
		}
		if bl.Kind == BlockParagraph {
			last = bl.Text
		}
	}
	b.WriteString(last)
	return b.String()
}

// Program words: what the program itself might leave untranslated.
var (
	slugRE  = regexp.MustCompile(`\b(wrong-amount|duplicate-charge|accidental-settlement|wrong-payee-info|missing-receipt|settlement-shortfall|consumer|merchant|helper|draft|manual|mapped|alipay|wechat|icbc|ccb|debit|credit|neutral|outgoing|incoming|successful|yes|no|out|in)\b`)
	zhWords = []string{"渠道", "交易成功", "支付成功", "退款成功", "状态：", "投诉人：", "此致", "工单号", "商户编号"}
)

func (r *reviewer) language() {
	own := r.programText()
	if r.l.Lang == Chinese {
		for _, m := range uniq(slugRE.FindAllString(own, -1)) {
			r.add("language", "language", map[string]any{"Word": m})
		}
		return
	}
	for _, w := range zhWords {
		if strings.Contains(own, w) {
			r.add("language", "language", map[string]any{"Word": w})
		}
	}
}

// programText is the letter with the user's own words taken out (the facts,
// names, notes): what is left is what the program wrote.
func (r *reviewer) programText() string {
	d := r.l.Dossier
	user := []string{d.Case.Facts, d.Case.Complainant.Name, d.Case.Complainant.Company, d.Case.Complainant.Address,
		d.Case.Respondent.Name, d.Case.Respondent.Address, r.l.Addressee, r.l.Institution}
	for _, t := range d.Transactions {
		user = append(user, t.Merchant, t.Note, t.Description, t.Issuer, t.Acquirer)
	}
	for _, c := range d.Calls {
		user = append(user, c.Organisation, c.Contact, c.Summary)
	}
	for _, e := range d.Events {
		user = append(user, e.Party, e.Note)
	}
	for _, e := range d.Exhibits {
		user = append(user, e.Title, e.Source, e.Purpose, e.Platform)
	}
	for _, q := range r.l.Requests {
		user = append(user, q.Text)
	}
	s := r.text()
	for _, u := range user {
		for _, line := range strings.Split(u, "\n") {
			if line = strings.TrimSpace(line); len(line) > 1 {
				s = strings.ReplaceAll(s, evidence.MaskCardNumbers(line), " ")
			}
		}
	}
	return s
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (r *reviewer) role() {
	d := r.l.Dossier
	if r.l.Verdict == VerdictWarn && len(r.l.Warnings) > 0 {
		r.out = append(r.out, Advice{Code: "role", Text: r.l.Warnings[0]})
	}
	if d.Case.Role == evidence.RoleConsumer && d.Case.Complainant.Company != "" &&
		(r.l.Recipient == ToConsumerAssociation || r.l.Recipient == ToMarketRegulator || r.l.Recipient == ToRegulator) {
		r.add("role", "company_consumer", nil)
	}
}

// selfHarm are phrases by which people admit what a bank will hold against
// them: not checking the amount before entering the PIN, and the like.
var selfHarm = []string{
	"未看清", "没看清", "没有看清", "未核对", "没核对", "没有核对", "未查看金额", "没看金额", "没有看金额", "没注意金额", "没有注意金额",
	"未留意", "没留意", "直接输入密码", "直接输了密码", "随手输入密码", "自己输错", "我输错", "密码告诉", "借给他人", "把卡交给",
	"didn't check", "did not check", "without checking", "without looking", "didn't look", "did not look", "not paying attention",
	"gave my pin", "told them my pin",
}

func (r *reviewer) selfHarm() {
	facts := r.l.Dossier.Case.Facts
	lower := strings.ToLower(facts)
	for _, p := range selfHarm {
		i := strings.Index(lower, strings.ToLower(p))
		if i < 0 {
			continue
		}
		r.add("self-harm", "self_harm", map[string]any{"Sentence": sentenceAround(facts, i)})
	}
}

// sentenceAround is the sentence of s that contains byte offset i.
func sentenceAround(s string, i int) string {
	isEnd := func(r rune) bool { return strings.ContainsRune("。！？!?\n", r) || r == '.' }
	start := strings.LastIndexFunc(s[:i], isEnd)
	if start < 0 {
		start = 0
	} else {
		_, size := firstRune(s[start:])
		start += size
	}
	end := strings.IndexFunc(s[i:], isEnd)
	if end < 0 {
		end = len(s)
	} else {
		_, size := firstRune(s[i+end:])
		end = i + end + size
	}
	return strings.TrimLeftFunc(s[start:end], unicode.IsSpace)
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// Settings is where the user's per-recipient request edits are kept (the
// store's key-value settings).
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// RequestsKey is the setting under which the edited requests of a case's
// letter to one recipient are kept.
func RequestsKey(caseID int64, to Recipient) string {
	return fmt.Sprintf("letter.requests.%d.%s", caseID, to)
}

// LoadRequests returns the requests the user edited for the letter of case
// caseID to recipient to, or nil when the generated ones stand.
func LoadRequests(ctx context.Context, st Settings, caseID int64, to Recipient) ([]evidence.Claim, error) {
	v, err := st.Setting(ctx, RequestsKey(caseID, to))
	if errors.Is(err, evidence.ErrNotFound) || (err == nil && v == "") {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load the requests of case %d to %s: %w", caseID, to, err)
	}
	var cs []evidence.Claim
	if err := json.Unmarshal([]byte(v), &cs); err != nil {
		return nil, fmt.Errorf("load the requests of case %d to %s: %v: %w", caseID, to, err, evidence.ErrInvalid)
	}
	return cs, nil
}

// SaveRequests keeps the user's edited requests for the letter of case
// caseID to recipient to; nil goes back to the generated requests.
func SaveRequests(ctx context.Context, st Settings, caseID int64, to Recipient, cs []evidence.Claim) error {
	v := ""
	if cs != nil {
		b, err := json.Marshal(cs)
		if err != nil {
			return err
		}
		v = string(b)
	}
	if err := st.SetSetting(ctx, RequestsKey(caseID, to), v); err != nil {
		return fmt.Errorf("save the requests of case %d to %s: %w", caseID, to, err)
	}
	return nil
}
