package app

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// recordList is the list of one kind of record of a case, in time order,
// with Add, Edit and Delete: the calls and the timeline share it.
type recordList[T any] struct {
	v        *caseView
	kind     func() *recordKind[T]
	all      []T
	list     *widget.List
	selected int
	addBtn   *widget.Button
	editBtn  *widget.Button
	delBtn   *widget.Button
	dialog   *recordForm // the last add/edit dialog shown

	blank  func() T                                  // a new record
	form   func(r *T) ([]*recordField, func() error) // the dialog's fields over r, and how to read them back
	before func(a, b *T) bool                        // the list's order
	show   func(r *T, o fyne.CanvasObject)           // fills a row made by the list's create
}

func newRecordList[T any](v *caseView, addLabel string, create func() fyne.CanvasObject, l *recordList[T]) *recordList[T] {
	l.v, l.selected = v, -1
	l.list = widget.NewList(
		func() int { return len(l.all) },
		create,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(l.all) {
				l.show(&l.all[id], o)
			}
		})
	l.list.OnSelected = func(id widget.ListItemID) { l.selected = id; l.buttons() }
	l.list.OnUnselected = func(widget.ListItemID) { l.selected = -1; l.buttons() }
	l.addBtn = widget.NewButtonWithIcon(addLabel, theme.ContentAddIcon(), func() { l.edit(-1) })
	l.addBtn.Importance = widget.HighImportance
	l.editBtn = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { l.edit(l.selected) })
	l.delBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), l.deleteSelected)
	return l
}

// setData shows rs in order, nothing selected.
func (l *recordList[T]) setData(rs []T) {
	l.all = append([]T(nil), rs...)
	sort.SliceStable(l.all, func(i, j int) bool { return l.before(&l.all[i], &l.all[j]) })
	l.list.UnselectAll()
	l.selected = -1
	l.list.Refresh()
	l.buttons()
}

func (l *recordList[T]) buttons() {
	if l.selected >= 0 {
		l.editBtn.Enable()
		l.delBtn.Enable()
	} else {
		l.editBtn.Disable()
		l.delBtn.Disable()
	}
}

// edit opens the dialog for row i, or for a new record when i < 0.
func (l *recordList[T]) edit(i int) {
	l.dialog = editRecord(l.v, l.kind(), func() []T { return l.all }, i, l.blank(), l.form, l.edit)
}

func (l *recordList[T]) deleteSelected() { deleteRecord(l.v, l.kind(), l.all, l.selected) }
