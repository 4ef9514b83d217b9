package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

func init() {
	register(command{name: "case court", summary: "set what the civil complaint of case ID needs: --court, --defendant, the parties' particulars, witnesses", run: runCaseCourt})
}

// runCaseCourt sets the court details of a case; flags not given keep
// their value.
func runCaseCourt(env *cli, args []string) error {
	fs := newFlags(env, "case court")
	courtName := fs.String("court", "", "the court, as you confirmed it (basic-level court where the defendant is domiciled or the contract was performed)")
	venue := fs.String("venue", "", "why that court: defendant-domicile | performance")
	var defendants, particulars, witnesses multiFlag
	fs.Var(&defendants, "defendant", "a party to sue: merchant | issuer | acquirer | settlement-bank (repeat for more; replaces the list)")
	gender := fs.String("gender", "", "the plaintiff's sex (男 / 女)")
	birth := fs.String("birth", "", "the plaintiff's date of birth, YYYY-MM-DD (the complaint states the age)")
	ethnicity := fs.String("ethnicity", "", "the plaintiff's ethnic group (汉族 …)")
	occupation := fs.String("occupation", "", "the plaintiff's occupation")
	employer := fs.String("employer", "", "the plaintiff's employer")
	legalRep := fs.String("legal-rep", "", "a company plaintiff's legal representative or principal")
	repTitle := fs.String("rep-title", "", "that person's title (职务)")
	repPhone := fs.String("rep-phone", "", "that person's phone")
	fs.Var(&particulars, "party", "a defendant's particulars: ROLE:gender=…,employer=…,legal-rep=…,rep-title=…,rep-phone=… (repeatable)")
	fs.Var(&witnesses, "witness", "a witness: NAME or NAME=ADDRESS (repeat for more; replaces the list)")
	show := fs.Bool("show", false, "print the court details stored (other flags are ignored)")
	id, st, err := openCaseStore(env, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.GetCase(env.ctx, id)
	if err != nil {
		return err
	}
	if *show {
		return writeJSON(env.stdout, c.Court)
	}
	ct := &c.Court
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&ct.Name, *courtName)
	set(&ct.Venue, *venue)
	if len(defendants) > 0 {
		for _, d := range defendants {
			if !slices.Contains(evidence.DefendantRoles, d) {
				return usagef("--defendant %q: want one of %s", d, strings.Join(evidence.DefendantRoles, " | "))
			}
		}
		ct.Defendants = defendants
	}
	pt := &ct.Plaintiff
	set(&pt.Gender, *gender)
	set(&pt.Ethnicity, *ethnicity)
	set(&pt.Occupation, *occupation)
	set(&pt.Employer, *employer)
	set(&pt.LegalRep, *legalRep)
	set(&pt.RepTitle, *repTitle)
	set(&pt.RepPhone, *repPhone)
	if *birth != "" {
		if pt.Birth, err = parseTimeFlag("birth", *birth); err != nil {
			return err
		}
	}
	for _, v := range particulars {
		role, rest, ok := strings.Cut(v, ":")
		if !ok || !slices.Contains(evidence.DefendantRoles, role) {
			return usagef("--party %q: want ROLE:key=value,… with ROLE one of %s", v, strings.Join(evidence.DefendantRoles, " | "))
		}
		if ct.Others == nil {
			ct.Others = map[string]evidence.Particulars{}
		}
		p := ct.Others[role]
		for _, kv := range strings.Split(rest, ",") {
			k, val, _ := strings.Cut(kv, "=")
			switch strings.TrimSpace(k) {
			case "gender":
				p.Gender = val
			case "employer":
				p.Employer = val
			case "legal-rep":
				p.LegalRep = val
			case "rep-title":
				p.RepTitle = val
			case "rep-phone":
				p.RepPhone = val
			default:
				return usagef("--party %q: unknown key %q (gender, employer, legal-rep, rep-title, rep-phone)", v, k)
			}
		}
		ct.Others[role] = p
	}
	if len(witnesses) > 0 {
		ct.Witnesses = nil
		for _, w := range witnesses {
			name, addr, _ := strings.Cut(w, "=")
			ct.Witnesses = append(ct.Witnesses, evidence.Witness{Name: name, Address: addr})
		}
	}
	ws, err := st.UpdateCase(env.ctx, &c)
	if err != nil {
		return err
	}
	printWarnings(env, ws)
	fmt.Fprintln(env.stdout, id)
	return nil
}
