package evidence

// ImportCounts is what storing a statement's rows did: rows added, rows
// already in the case, and rows already in the case whose status the file
// changed (a later export: 等待确认收货 → 交易成功), with those changes.
type ImportCounts struct {
	Added, Duplicates, Updated int
	Changes                    []StatusChange
}

// StatusChange is one stored transaction whose status a re-import changed.
type StatusChange struct {
	ID   int64  `json:"id"`
	From string `json:"from"`
	To   string `json:"to"`
}
