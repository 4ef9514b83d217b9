package templates

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sync"
	"text/template"

	"github.com/disputekit/disputekit/evidence"
)

// The wording and the citations are data, so a wrong article or an awkward
// sentence can be corrected without touching code.
//
//go:embed data/*.json
var dataFS embed.FS

// Citation is one rule a letter cites. Summaries are paraphrases, never
// quotations; the official text prevails.
type Citation struct {
	LawZh     string `json:"law_zh"`
	ArticleZh string `json:"article_zh"`
	LawEn     string `json:"law_en"`
	ArticleEn string `json:"article_en"`
	Zh        string `json:"zh"`
	En        string `json:"en"`
}

// In returns the law, article and summary in lang.
func (c Citation) In(lang Lang) (law, article, summary string) {
	if lang == English {
		return c.LawEn, c.ArticleEn, c.En
	}
	return c.LawZh, c.ArticleZh, c.Zh
}

// tableRow is the wording of a generated evidence-list row.
type tableRow struct {
	Name    string `json:"name"`
	Source  string `json:"source"`
	Purpose string `json:"purpose"`
}

// wording is everything a letter says in one language (data/zh.json, data/en.json).
type wording struct {
	DateLayout       string                            `json:"date_layout"`
	TimeLayout       string                            `json:"time_layout"`
	SelfPerson       string                            `json:"self_person"`
	SelfCompany      string                            `json:"self_company"`
	WhoPerson        string                            `json:"who_person"`
	WhoCompany       string                            `json:"who_company"`
	SelfObjPerson    string                            `json:"self_object_person"`
	SelfObjCompany   string                            `json:"self_object_company"`
	NoInstitution    string                            `json:"institution_unknown"`
	Titles           map[evidence.Scenario]string      `json:"titles"`
	AddresseeDefault map[Recipient]string              `json:"addressee_default"`
	Salutation       []string                          `json:"salutation"`
	Intro            map[Recipient]string              `json:"intro"`
	Scenario         map[evidence.Scenario]string      `json:"scenario"`
	Harm             string                            `json:"harm"`
	Ask              map[Recipient]string              `json:"ask"`
	Headings         map[string]string                 `json:"headings"`
	Labels           map[string]string                 `json:"labels"`
	Chronology       string                            `json:"chronology"`
	Txn              string                            `json:"txn"`
	TxnIDs           map[string]string                 `json:"txn_ids"`
	ListSep          string                            `json:"list_sep"`
	Direction        map[evidence.Direction]string     `json:"direction"`
	TxnTypes         map[string]string                 `json:"txn_types"`
	TxnStatuses      map[string]string                 `json:"txn_statuses"`
	SourcePlatform   string                            `json:"source_platform"`
	Call             string                            `json:"call"`
	CallDirection    map[evidence.CallDirection]string `json:"call_direction"`
	Minutes          string                            `json:"minutes"`
	Event            string                            `json:"event"`
	EventKinds       map[evidence.EventKind]string     `json:"event_kinds"`
	Contact          string                            `json:"contact"`
	ContactNoOutcome string                            `json:"contact_no_outcome"`
	ContactsNone     map[Recipient]string              `json:"contacts_none"`
	FirstApproached  string                            `json:"first_approached"`
	Article9         string                            `json:"article9"`
	RulesIntro       string                            `json:"rules_intro"`
	Rule             string                            `json:"rule"`
	EvidenceIntro    string                            `json:"evidence_intro"`
	EvidenceNone     string                            `json:"evidence_none"`
	ClaimAmount      string                            `json:"claim_amount"`
	KindSource       map[evidence.ExhibitKind]string   `json:"kind_source"`
	KindPurpose      map[evidence.ExhibitKind]string   `json:"kind_purpose"`
	TxnTable         tableRow                          `json:"txn_table"`
	CallTable        tableRow                          `json:"call_table"`
	Closing          []string                          `json:"closing"`
	Signature        []string                          `json:"signature"`
	Warnings         map[string]string                 `json:"warnings"`
	cache            map[string]*template.Template     `json:"-"`
	mu               sync.Mutex                        `json:"-"`
}

// render executes one wording template with data.
func (w *wording) render(tmpl string, data any) (string, error) {
	w.mu.Lock()
	t, ok := w.cache[tmpl]
	if !ok {
		var err error
		t, err = template.New("").Option("missingkey=error").Parse(tmpl)
		if err != nil {
			w.mu.Unlock()
			return "", fmt.Errorf("wording %q: %w", tmpl, err)
		}
		w.cache[tmpl] = t
	}
	w.mu.Unlock()
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("wording %q: %w", tmpl, err)
	}
	return b.String(), nil
}

var (
	loadOnce  sync.Once
	loadErr   error
	wordings  map[Lang]*wording
	citations map[Recipient][]Citation
)

func load() error {
	loadOnce.Do(func() {
		wordings = map[Lang]*wording{}
		for _, l := range []Lang{Chinese, English} {
			b, err := dataFS.ReadFile("data/" + string(l) + ".json")
			if err != nil {
				loadErr = fmt.Errorf("load wording %s: %w", l, err)
				return
			}
			w := &wording{cache: map[string]*template.Template{}}
			if err := json.Unmarshal(b, w); err != nil {
				loadErr = fmt.Errorf("load wording %s: %w", l, err)
				return
			}
			wordings[l] = w
		}
		b, err := dataFS.ReadFile("data/citations.json")
		if err != nil {
			loadErr = fmt.Errorf("load citations: %w", err)
			return
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			loadErr = fmt.Errorf("load citations: %w", err)
			return
		}
		citations = map[Recipient][]Citation{}
		for _, r := range Recipients {
			var cs []Citation
			if err := json.Unmarshal(raw[string(r)], &cs); err != nil {
				loadErr = fmt.Errorf("load citations for %s: %w", r, err)
				return
			}
			citations[r] = cs
		}
	})
	return loadErr
}

// Citations returns the rules a letter to r cites (data/citations.json).
func Citations(r Recipient) ([]Citation, error) {
	if err := load(); err != nil {
		return nil, err
	}
	cs, ok := citations[r]
	if !ok {
		return nil, fmt.Errorf("citations for %q: %w", r, evidence.ErrInvalid)
	}
	return append([]Citation(nil), cs...), nil
}

// Title returns a letter's title for a scenario in lang, for lists and file names.
func Title(s evidence.Scenario, lang Lang) string {
	if load() != nil {
		return ""
	}
	w, ok := wordings[lang]
	if !ok {
		return ""
	}
	if t, ok := w.Titles[s]; ok {
		return t
	}
	return w.Titles[evidence.ScenarioOther]
}

// DefaultAddressee returns who a letter to r is addressed to when the case
// does not say (e.g. 中国人民银行XX分行（12363）).
func DefaultAddressee(r Recipient, lang Lang) string {
	if load() != nil {
		return ""
	}
	if w, ok := wordings[lang]; ok {
		return w.AddresseeDefault[r]
	}
	return ""
}
