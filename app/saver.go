package app

import (
	"sync"
	"time"
)

// saveDelay is how long typing must pause before a change is written.
const saveDelay = 700 * time.Millisecond

// saver writes the latest value of something being edited once the user
// pauses typing: there is no Save button to forget. Saves run off the event
// goroutine, one at a time, newest value last.
type saver[T any] struct {
	save  func(v T) error // runs off the event goroutine
	saved func(err error) // runs on the event goroutine
	do    func(func())    // UI.do

	mu      sync.Mutex
	pending *T
	timer   *time.Timer
	writing sync.Mutex // one save at a time, in order
}

// set records v as the value to write after the pause.
func (s *saver[T]) set(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = &v
	if s.timer == nil {
		s.timer = time.AfterFunc(saveDelay, s.write)
	} else {
		s.timer.Reset(saveDelay)
	}
}

// write saves the pending value, if any. On failure the value stays
// pending so the next change or flush tries again.
func (s *saver[T]) write() {
	s.writing.Lock()
	defer s.writing.Unlock()
	s.mu.Lock()
	v := s.pending
	s.pending = nil
	s.mu.Unlock()
	if v == nil {
		return
	}
	err := s.save(*v)
	if err != nil {
		s.mu.Lock()
		if s.pending == nil {
			s.pending = v
		}
		s.mu.Unlock()
	}
	if s.saved != nil {
		s.do(func() { s.saved(err) })
	}
}

// flush writes the pending value now (leaving the screen, closing).
func (s *saver[T]) flush() {
	s.mu.Lock()
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	s.write()
}
