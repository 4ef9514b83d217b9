package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/escalation"
	"github.com/disputekit/disputekit/templates"
)

func init() {
	register(command{name: "filing add", summary: "record a complaint lodged in case ID (--to, --sent …); prints its ID", run: runFilingAdd})
	register(command{name: "filing reply", summary: "record a reply to filing F of case ID (--time, --status, --text, --exhibit)", run: runFilingReply})
	register(command{name: "filing status", summary: "set the status of filing F of case ID: sent | accepted | replied | refused | resolved", run: runFilingStatus})
	register(command{name: "filing list", summary: "list the filings of case ID with their due dates [--json] [--lang]", run: runFilingList})
	register(command{name: "next", summary: "what is due or overdue in case ID, and what to do next [--lang zh|en]", run: runNext})
	register(command{name: "holidays", summary: "list the public-holiday years deadlines are counted with, and their sources", run: runHolidays})
	register(command{name: "holidays import", summary: "use FILE (the holidays.json format) for the years it holds", run: runHolidaysImport})
}

// recipientHelp lists the filing recipients for the --to flag.
func recipientHelp() string {
	var ids []string
	for _, r := range escalation.Recipients() {
		id := r.ID
		if r.Hotline != "" {
			id += " (" + r.Hotline + ")"
		}
		ids = append(ids, id)
	}
	return strings.Join(ids, " | ")
}

func langFlag(v string) (string, error) {
	if v != "zh" && v != "en" {
		return "", usagef("--lang %q: want zh or en", v)
	}
	return v, nil
}

func runFilingAdd(env *cli, args []string) error {
	var f evidence.Filing
	var sent, received, due, asked string
	var letter int64
	fs := newFlags(env, "filing add")
	fs.StringVar(&f.Recipient, "to", "", "who it went to: "+recipientHelp())
	fs.StringVar(&f.Party, "party", "", "the body's name (招商银行信用卡中心, 浦东新区市场监督管理局 …)")
	fs.StringVar((*string)(&f.Channel), "channel", "letter", "letter | platform | hotline | in-person | online")
	fs.StringVar(&sent, "sent", "", "when it was sent or lodged")
	fs.StringVar(&received, "received", "", "when the recipient got it (a letter's delivery), if known: deadlines run from receipt")
	fs.StringVar(&f.Ticket, "ticket", "", "ticket or complaint number (工单号 / 投诉编号)")
	fs.StringVar(&asked, "asked", "", "what was asked for (TEXT or @FILE)")
	fs.StringVar(&due, "due", "", "the reply due date, when you know better than the rule")
	fs.Int64Var(&letter, "letter", 0, "the exhibit ID of the copy sent")
	fs.StringVar(&f.Note, "note", "", "a note")
	fromLetter := fs.String("from-letter", "", "fill recipient, name and what was asked from the letter to RECIPIENT (as dk letter --to) that was sent")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	if sent == "" || (f.Recipient == "" && *fromLetter == "") {
		return usagef("--to (or --from-letter) and --sent are required")
	}
	if *fromLetter != "" {
		if err := fillFromLetter(env, id, *fromLetter, sent, &f); err != nil {
			return err
		}
	}
	if _, ok := escalation.RecipientFor(f.Recipient); !ok {
		return usagef("--to %q: want one of %s", f.Recipient, recipientHelp())
	}
	if f.Sent, err = parseTimeFlag("sent", sent); err != nil {
		return err
	}
	if received != "" {
		if f.Received, err = parseTimeFlag("received", received); err != nil {
			return err
		}
	}
	if due != "" {
		d, err := parseTimeFlag("due", due)
		if err != nil {
			return err
		}
		f.Due, f.DueBasis = endOfDay(d), "user"
	}
	if asked != "" {
		if f.Asked, err = textArg(asked); err != nil {
			return err
		}
	}
	f.CaseID, f.LetterExhibitID = id, letter
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	estimate, err := casework.New(st).AddFiling(env.ctx, &f)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, f.ID)
	if !f.Due.IsZero() {
		lang := env.uiLang()
		due := f.Due.In(evidence.Shanghai).Format("2006-01-02")
		if basis := dueBasisText(f.DueBasis, lang); basis != "" {
			due += check.Text{ZH: "（" + basis + "）", EN: " (" + basis + ")"}.In(lang)
		}
		fmt.Fprintln(env.stderr, check.Text{ZH: "答复期限：", EN: "reply due "}.In(lang)+due)
		if estimate {
			fmt.Fprintln(env.stderr, check.Text{
				ZH: "提示：期限跨入DisputeKit不知道其法定节假日的年份，只跳过了周末（见 dk holidays import）",
				EN: "warning: the count runs through a year whose public holidays DisputeKit does not know; the date skips weekends only (see dk holidays import)",
			}.In(lang))
		}
	}
	return nil
}

// endOfDay makes a typed due date (a day) the last second of that day.
func endOfDay(t time.Time) time.Time {
	y, m, d := t.In(evidence.Shanghai).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, evidence.Shanghai)
}

// dueBasisText says where a due date comes from, in lang.
func dueBasisText(basis, lang string) string {
	switch basis {
	case "":
		return ""
	case "user":
		return check.Text{ZH: "用户填写", EN: "typed in"}.In(lang)
	case escalation.KindRequest:
		return check.Text{ZH: "投诉函请求的期限，无法定期限", EN: "the period the letter asks for; no legal deadline"}.In(lang)
	case escalation.KindReminder:
		return check.Text{ZH: "跟进提醒，非法定期限", EN: "a reminder to follow up, not a legal deadline"}.In(lang)
	}
	for _, r := range escalation.Recipients() {
		for _, dl := range []*escalation.Deadline{&r.Deadline, r.AfterAccepted} {
			if dl != nil && dl.Basis == basis {
				return check.Text{ZH: dl.BasisZH, EN: dl.BasisEN}.In(lang)
			}
		}
	}
	return basis
}

// filingArgs parses "ID F" after the flags.
func filingArgs(fs interface{ Args() []string }, pos []string) (int64, error) {
	if len(pos) != 2 {
		return 0, usagef("needs a case ID and a filing ID (see dk filing list ID)")
	}
	f, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || f <= 0 {
		return 0, usagef("%q is not a filing ID", pos[1])
	}
	return f, nil
}

type int64List []int64

func (l *int64List) String() string { return fmt.Sprint(*l) }
func (l *int64List) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("%q is not an exhibit ID", s)
		}
		*l = append(*l, n)
	}
	return nil
}

func runFilingReply(env *cli, args []string) error {
	var r evidence.FilingReply
	var when, text string
	var exs int64List
	fs := newFlags(env, "filing reply")
	fs.StringVar(&when, "time", "", "when the reply came")
	fs.StringVar((*string)(&r.Status), "status", "replied", "what it made of the complaint: accepted | replied | refused | resolved")
	fs.StringVar(&text, "text", "", "what it said (TEXT or @FILE)")
	fs.Var(&exs, "exhibit", "exhibit ID holding the reply (repeatable, or comma-separated)")
	id, pos, err := parseCaseArgs(fs, args, true)
	if err != nil {
		return err
	}
	fid, err := filingArgs(fs, pos)
	if err != nil {
		return err
	}
	if when == "" {
		return usagef("--time is required")
	}
	if r.Time, err = parseTimeFlag("time", when); err != nil {
		return err
	}
	if r.Content, err = textArg(text); err != nil {
		return err
	}
	r.ExhibitIDs = exs
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := casework.New(st).RecordReply(env.ctx, id, fid, &r)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, r.ID)
	if escalation.Open(f) {
		fmt.Fprintf(env.stderr, "now awaited by %s (%s)\n", f.Due.In(evidence.Shanghai).Format("2006-01-02"), dueBasisText(f.DueBasis, "en"))
	}
	return nil
}

func runFilingStatus(env *cli, args []string) error {
	fs := newFlags(env, "filing status")
	id, pos, err := parseCaseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if len(pos) != 3 {
		return usagef("usage: dk filing status ID F STATUS")
	}
	fid, err := filingArgs(fs, pos[:2])
	if err != nil {
		return err
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = casework.New(st).SetFilingStatus(env.ctx, id, fid, evidence.FilingStatus(pos[2]), time.Now())
	return err
}

func runFilingList(env *cli, args []string) error {
	fs := newFlags(env, "filing list")
	asJSON := fs.Bool("json", false, "print JSON (with each filing's status as of today)")
	langV := fs.String("lang", env.uiLang(), "zh | en (default: dk --lang, else the locale)")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	lang, err := langFlag(*langV)
	if err != nil {
		return err
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.ListFilings(env.ctx, id)
	if err != nil {
		return err
	}
	now := time.Now()
	if *asJSON {
		type row struct {
			evidence.Filing
			StatusNow evidence.FilingStatus `json:"status_now"`
		}
		rows := make([]row, 0, len(list))
		for _, f := range list {
			rows = append(rows, row{f, escalation.StatusAt(f, now)})
		}
		return writeJSON(env.stdout, rows)
	}
	return printFilings(env.stdout, list, lang, now)
}

var filingHeads = map[string]string{
	"zh": "编号\t对象\t方式\t提交\t工单号\t答复期限\t状态",
	"en": "ID\tTO\tCHANNEL\tSENT\tTICKET\tREPLY DUE\tSTATUS",
}

var statusWords = map[evidence.FilingStatus]check.Text{
	evidence.FilingSent:     {ZH: "已提交", EN: "sent"},
	evidence.FilingAccepted: {ZH: "已受理", EN: "accepted"},
	evidence.FilingReplied:  {ZH: "已答复", EN: "replied"},
	evidence.FilingRefused:  {ZH: "已拒绝/不予受理", EN: "refused"},
	evidence.FilingResolved: {ZH: "已解决", EN: "resolved"},
	evidence.FilingLapsed:   {ZH: "已逾期未答复", EN: "lapsed"},
}

var channelWords = map[evidence.FilingChannel]check.Text{
	evidence.FilingLetter:   {ZH: "信函", EN: "letter"},
	evidence.FilingPlatform: {ZH: "投诉平台", EN: "platform"},
	evidence.FilingHotline:  {ZH: "热线电话", EN: "hotline"},
	evidence.FilingInPerson: {ZH: "现场", EN: "in person"},
	evidence.FilingOnline:   {ZH: "网上", EN: "online"},
}

func printFilings(w io.Writer, list []evidence.Filing, lang string, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, filingHeads[lang])
	for _, f := range list {
		rec, _ := escalation.RecipientFor(f.Recipient)
		to := check.Text{ZH: rec.ZH, EN: rec.EN}.In(lang)
		if f.Party != "" {
			to = f.Party
		}
		due := ""
		if !f.Due.IsZero() {
			due = f.Due.In(evidence.Shanghai).Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", f.ID, to, channelWords[f.Channel].In(lang),
			f.Sent.In(evidence.Shanghai).Format("2006-01-02"), f.Ticket, due, statusWords[escalation.StatusAt(f, now)].In(lang))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range list {
		for _, r := range f.Replies {
			line := fmt.Sprintf("  #%d %s %s", f.ID, r.Time.In(evidence.Shanghai).Format("2006-01-02"), statusWords[r.Status].In(lang))
			if r.Content != "" {
				line += ": " + r.Content
			}
			if len(r.ExhibitIDs) > 0 {
				line += fmt.Sprintf(" %s %v", check.Text{ZH: "证据", EN: "exhibits"}.In(lang), r.ExhibitIDs)
			}
			fmt.Fprintln(w, line)
		}
	}
	return nil
}

var nextWords = map[string]check.Text{
	"filings": {ZH: "投诉跟踪：", EN: "Complaints:"},
	"none":    {ZH: "（尚无投诉记录，可用 dk filing add 记录）", EN: "(no complaint recorded yet; record one with dk filing add)"},
	"rung":    {ZH: "下一步：", EN: "Next rung:"},
	"steps":   {ZH: "维权步骤：", EN: "Steps:"},
	"wait":    {ZH: "（对方仍在答复期限内，请等待答复）", EN: "(still within a reply period: wait for the answer)"},
}

var stepMarks = map[casework.StepState]string{casework.Done: "✓", casework.Next: "→", casework.Open: " ", casework.Due: "!", casework.Overdue: "!!"}

func runNext(env *cli, args []string) error {
	fs := newFlags(env, "next")
	langV := fs.String("lang", env.uiLang(), "zh | en (default: dk --lang, else the locale)")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	lang, err := langFlag(*langV)
	if err != nil {
		return err
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.Dossier(env.ctx, id)
	if err != nil {
		return err
	}
	now := time.Now()
	next, err := casework.New(st).WhatNext(env.ctx, id, now)
	if err != nil {
		return err
	}
	w := env.stdout
	fmt.Fprintln(w, nextWords["filings"].In(lang))
	if len(next.Filings) == 0 {
		fmt.Fprintln(w, "  "+nextWords["none"].In(lang))
	}
	for _, l := range next.Filings {
		mark := " "
		if l.Overdue() {
			mark = "!"
		}
		fmt.Fprintf(w, "%s %s\n", mark, l.Text.In(lang))
	}
	fmt.Fprint(w, nextWords["rung"].In(lang)+" ")
	switch {
	case next.Rung != "":
		fmt.Fprintln(w, escalation.RungText(next.Rung).In(lang))
	case len(d.Filings) > 0:
		fmt.Fprintln(w, nextWords["wait"].In(lang))
	default:
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, nextWords["steps"].In(lang))
	for _, s := range next.Steps {
		fmt.Fprintf(w, "%-2s %s\n", stepMarks[s.State], s.Text.In(lang))
	}
	return nil
}

func runHolidays(env *cli, args []string) error {
	fs := newFlags(env, "holidays")
	if pos, err := parseInterspersed(fs, args); err != nil || len(pos) > 0 {
		return usagef("usage: dk holidays (or dk holidays import FILE)")
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	cal, err := casework.New(st).Calendar()
	if err != nil {
		return err
	}
	for _, y := range cal.Years() {
		from := "built in"
		if cal.FromUser(y.Year) {
			from = "your holidays.json"
		}
		fmt.Fprintf(env.stdout, "%d  %d holiday periods, %d make-up working days  (%s)\n    %s\n", y.Year, len(y.Holidays), len(y.Workdays), from, y.Source)
	}
	return nil
}

func runHolidaysImport(env *cli, args []string) error {
	fs := newFlags(env, "holidays import")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		return usagef("usage: dk holidays import FILE")
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := casework.New(st).ImportHolidays(pos[0])
	if err != nil {
		return err
	}
	for _, y := range t.Years {
		fmt.Fprintf(env.stdout, "%d  %d holiday periods, %d make-up working days\n", y.Year, len(y.Holidays), len(y.Workdays))
	}
	return nil
}

// uiLang is the language dk speaks in ("zh" or "en"): --lang, else the locale.
func (c *cli) uiLang() string {
	if c.lang == templates.Chinese {
		return "zh"
	}
	return "en"
}

// fillFromLetter fills f from the letter of case id to recipient to, as
// composed on the day sent (casework.FilingFromLetter); flags given
// explicitly (--to, --party) keep their value.
func fillFromLetter(env *cli, id int64, to, sent string, f *evidence.Filing) error {
	r, err := parseRecipient(to)
	if err != nil {
		return err
	}
	when, err := parseTimeFlag("sent", sent)
	if err != nil {
		return err
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.Dossier(env.ctx, id)
	if err != nil {
		return err
	}
	opt, err := letterOptions(env, st, id, r, nil, false)
	if err != nil {
		return err
	}
	l, err := templates.ComposeWith(d, r, templates.Lang(env.uiLang()), when, opt)
	if err != nil {
		return err
	}
	from := casework.FilingFromLetter(l, id, when)
	if f.Recipient == "" {
		f.Recipient = from.Recipient
	}
	if f.Party == "" {
		f.Party = from.Party
	}
	f.Asked = from.Asked
	return nil
}
