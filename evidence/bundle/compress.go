package bundle

import (
	"archive/zip"
	"compress/flate"
	"io"
	"sync"
)

// How entries are compressed. Most evidence is photos, recordings and PDFs
// that are compressed already: deflating them again costs most of an
// export's time and saves nothing. So a file is stored as it is when its
// media type or extension says it is compressed, when it is tiny, or when
// deflating its first block saves less than minGain; everything else is
// deflated at the fastest level (statements and JSON still shrink several times). The
// choice depends only on the file's type, name and bytes, so two exports of
// one case stay byte-identical.

const (
	// sampleSize is the first block that is tried.
	sampleSize = 128 << 10
	// minGain is the least saving (a fraction of the block) worth deflating for.
	minGain = 0.05
	// tinyFile is the size under which a file is always stored.
	tinyFile = 512
)

// flatePool recycles fast deflaters: each holds about a megabyte of tables.
var flatePool = sync.Pool{New: func() any {
	fw, err := flate.NewWriter(io.Discard, flate.BestSpeed)
	if err != nil {
		panic(err) // only for an invalid level
	}
	return fw
}}

// fastDeflate is the archive's deflate compressor: the fastest level.
func fastDeflate(w io.Writer) (io.WriteCloser, error) {
	fw := flatePool.Get().(*flate.Writer)
	fw.Reset(w)
	return &pooledFlate{fw}, nil
}

// pooledFlate returns its deflater to the pool once closed.
type pooledFlate struct{ fw *flate.Writer }

func (p *pooledFlate) Write(b []byte) (int, error) { return p.fw.Write(b) }

func (p *pooledFlate) Close() error {
	err := p.fw.Close()
	flatePool.Put(p.fw)
	p.fw = nil
	return err
}

// chooseMethod decides how a file of this media type and name, starting
// with head (its first sampleSize bytes, or all of it when shorter), is put
// in the archive: zip.Store or zip.Deflate.
func chooseMethod(mediaType, name string, head []byte) uint16 {
	if alreadyCompressed(mediaType, name) {
		return zip.Store
	}
	if len(head) < tinyFile {
		return zip.Store // saves a few bytes at most
	}
	var c byteCounter
	fw := flatePool.Get().(*flate.Writer)
	fw.Reset(&c)
	fw.Write(head)
	fw.Close()
	flatePool.Put(fw)
	if float64(c) > (1-minGain)*float64(len(head)) {
		return zip.Store
	}
	return zip.Deflate
}

// byteCounter counts what is written to it.
type byteCounter int64

func (c *byteCounter) Write(p []byte) (int, error) {
	*c += byteCounter(len(p))
	return len(p), nil
}
