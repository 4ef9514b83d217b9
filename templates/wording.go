package templates

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template"

	"github.com/disputekit/disputekit/evidence"
)

// The wording and the citations are data, so a wrong article or an awkward
// sentence can be corrected without touching code.
//
//go:embed data/*.json
var dataFS embed.FS

// LawDocument is a law, regulation or notice a letter cites, as checked
// against the source named in Source.
type LawDocument struct {
	TitleZh   string `json:"title_zh"`
	TitleEn   string `json:"title_en"`
	Number    string `json:"number"`    // document number / adoption, e.g. 中国人民银行令〔2020〕第5号
	Effective string `json:"effective"` // effective date (and what is not verified about it)
	Source    string `json:"source"`    // where the wording was checked
	Caveat    string `json:"caveat,omitempty"`
	// CiteNumberZh/En is how a letter names the document number after the
	// title; empty for laws, which are cited by title alone.
	CiteNumberZh string `json:"cite_number_zh"`
	CiteNumberEn string `json:"cite_number_en"`
}

// CiteNumber is the document number as a letter in lang prints it.
func (d LawDocument) CiteNumber(lang Lang) string {
	if lang == English {
		return d.CiteNumberEn
	}
	return d.CiteNumberZh
}

// Citation is one provision a letter may cite (data/citations.json). Quote
// is its exact wording; Zh and En are the short statements letters print.
type Citation struct {
	ID        string      `json:"id"`
	Doc       string      `json:"doc"`
	ArticleZh string      `json:"article_zh"`
	ArticleEn string      `json:"article_en"`
	Quote     string      `json:"quote"`
	Zh        string      `json:"zh"`
	En        string      `json:"en"`
	Scope     string      `json:"scope"`
	Document  LawDocument `json:"-"`
}

// In returns the law's title, the article and the statement in lang.
func (c Citation) In(lang Lang) (law, article, summary string) {
	if lang == English {
		return c.Document.TitleEn, c.ArticleEn, c.En
	}
	return c.Document.TitleZh, c.ArticleZh, c.Zh
}

// NotVerified is a provision or fact the citations data leaves out of
// letters, and why.
type NotVerified struct {
	What   string `json:"what"`
	Status string `json:"status"`
}

type citationData struct {
	Documents   map[string]LawDocument `json:"documents"`
	Citations   []Citation             `json:"citations"`
	NotVerified []NotVerified          `json:"not_verified"`
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
	DayLayout        string                            `json:"day_layout"`
	Self             map[evidence.PartyKind]string     `json:"self"`
	Who              map[evidence.PartyKind]string     `json:"who"`
	You              map[string]string                 `json:"you"`
	KindNames        map[evidence.PartyKind]string     `json:"kind_names"`
	Titles           map[evidence.Scenario]string      `json:"titles"`
	Addressee        map[string]string                 `json:"addressee"`
	Blank            string                            `json:"blank"`
	Salutation       []string                          `json:"salutation"`
	Purposes         map[string]string                 `json:"purposes"`
	Reasons          map[string]string                 `json:"reasons"`
	Requests         map[string]string                 `json:"requests"`
	DisputeReasons   map[evidence.Scenario]string      `json:"dispute_reasons"`
	Summary          map[string]string                 `json:"summary"`
	Headings         map[string]string                 `json:"headings"`
	Labels           map[string]string                 `json:"labels"`
	Chronology       string                            `json:"chronology"`
	Txn              string                            `json:"txn"`
	TxnIDs           map[string]string                 `json:"txn_ids"`
	ListSep          string                            `json:"list_sep"`
	Direction        map[evidence.Direction]string     `json:"direction"`
	TxnTypes         map[string]string                 `json:"txn_types"`
	TxnStatuses      map[string]string                 `json:"txn_statuses"`
	Channels         map[string]string                 `json:"channels"`
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
	InstFailing      string                            `json:"institution_failing"`
	NotElsewhere     string                            `json:"not_elsewhere"`
	CardTypes        map[string]string                 `json:"card_types"`
	RulesIntro       string                            `json:"rules_intro"`
	Rule             string                            `json:"rule"`
	RulesNone        string                            `json:"rules_none"`
	EvidenceIntro    string                            `json:"evidence_intro"`
	EvidenceNone     string                            `json:"evidence_none"`
	KindSource       map[evidence.ExhibitKind]string   `json:"kind_source"`
	KindPurpose      map[evidence.ExhibitKind]string   `json:"kind_purpose"`
	TxnTable         tableRow                          `json:"txn_table"`
	CallTable        tableRow                          `json:"call_table"`
	Ask              map[string]string                 `json:"ask"`
	Deadline         string                            `json:"deadline"`
	NoDeadline       map[Recipient]string              `json:"no_deadline"`
	Closing          []string                          `json:"closing"`
	SignaturePerson  []string                          `json:"signature_person"`
	SignatureBiz     []string                          `json:"signature_business"`
	Operator         map[evidence.PartyKind]string     `json:"operator"`
	Sheet            map[string]string                 `json:"sheet"`
	Warnings         map[string]string                 `json:"warnings"`
	Hints            map[string]string                 `json:"hints"`
	Review           map[string]string                 `json:"review"`
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
	loadOnce    sync.Once
	loadErr     error
	wordings    map[Lang]*wording
	citations   map[string]Citation
	citationIDs []string
	notVerified []NotVerified
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
		var cd citationData
		if err := json.Unmarshal(b, &cd); err != nil {
			loadErr = fmt.Errorf("load citations: %w", err)
			return
		}
		citations = map[string]Citation{}
		for _, c := range cd.Citations {
			doc, ok := cd.Documents[c.Doc]
			if !ok {
				loadErr = fmt.Errorf("load citations: %s names unknown document %q", c.ID, c.Doc)
				return
			}
			c.Document = doc
			citations[c.ID] = c
			citationIDs = append(citationIDs, c.ID)
		}
		notVerified = cd.NotVerified
		if err := loadPlan(); err != nil {
			loadErr = err
			return
		}
		for _, r := range plan.Rules {
			for _, id := range slices.Concat(r.Citations, r.CitationsBk, r.CitationsPI) {
				if _, ok := citations[id]; !ok {
					loadErr = fmt.Errorf("load letter plan: %s × %s cites unknown %q", r.Role, r.To, id)
					return
				}
			}
		}
	})
	return loadErr
}

// CitationByID returns the provision with id (data/citations.json).
func CitationByID(id string) (Citation, bool) {
	if load() != nil {
		return Citation{}, false
	}
	c, ok := citations[id]
	return c, ok
}

// AllCitations returns every provision letters may cite, in data order.
func AllCitations() []Citation {
	if load() != nil {
		return nil
	}
	out := make([]Citation, len(citationIDs))
	for i, id := range citationIDs {
		out[i] = citations[id]
	}
	return out
}

// NotVerifiedItems lists what the citations data keeps out of letters.
func NotVerifiedItems() []NotVerified {
	if load() != nil {
		return nil
	}
	return append([]NotVerified(nil), notVerified...)
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

// bilingualRE is a label written "中文 / English" (as importers label the
// statements they store): the letter keeps the half in its own language.
var bilingualRE = regexp.MustCompile(`^(.*\p{Han}.*?)\s+/\s+([\x20-\x7E]+)$`)

// InLanguage returns the half of a "中文 / English" label in lang, or s
// unchanged when it is not such a label.
func InLanguage(s string, lang Lang) string {
	m := bilingualRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return s
	}
	if lang == English {
		return m[2]
	}
	return m[1]
}
