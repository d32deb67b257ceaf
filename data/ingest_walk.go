package data

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// ArticleFile is a regular file found below an articles folder.
type ArticleFile struct {
	Path    string
	Size    int64
	ModTime time.Time
}

// WalkArticles lists the regular files below root (itself possibly a
// symlink), sorted by path, leaving out hidden files and folders (.git,
// editor swap files). Symlinks are followed, to files and to folders, so an
// articles folder assembled from links works; a folder already read (a link
// back to a parent, two links to one place) is read once and the link that
// led to it again is named in skipped, as is a broken link and anything that
// is not a regular file (a named pipe, a device, a socket), which is never
// opened: opening a FIFO blocks until someone writes to it. It stops early
// when ctx is done.
func WalkArticles(ctx context.Context, root string) (files []ArticleFile, skipped []Skipped) {
	w := walker{ctx: ctx, seen: map[string]string{}}
	info, err := os.Stat(root)
	if err != nil {
		return nil, []Skipped{{Path: root, Reason: describeStatErr(err), Err: true}}
	}
	if !info.IsDir() {
		w.file(root, info, true)
		return w.files, w.skipped
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, []Skipped{{Path: root, Reason: describeStatErr(err), Err: true}}
	}
	w.dir(root, real)
	sort.Slice(w.files, func(i, j int) bool { return w.files[i].Path < w.files[j].Path })
	return w.files, w.skipped
}

// walker is one WalkArticles run. seen maps the real path of every folder
// entered to the path it was entered by, which is the loop protection.
type walker struct {
	ctx     context.Context
	seen    map[string]string
	files   []ArticleFile
	skipped []Skipped
}

func (w *walker) skip(path, reason string, isErr bool) {
	w.skipped = append(w.skipped, Skipped{Path: path, Reason: reason, Err: isErr})
}

// dir reads the folder at path, whose symlink-free path is real.
func (w *walker) dir(path, real string) {
	if first, ok := w.seen[real]; ok {
		w.skip(path, fmt.Sprintf("symlink to a folder already read (%s): not read twice", first), false)
		return
	}
	w.seen[real] = path
	entries, err := os.ReadDir(path)
	if err != nil {
		w.skip(path, describeStatErr(err), true)
	}
	for _, e := range entries {
		if w.ctx.Err() != nil {
			return
		}
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(path, e.Name())
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			w.link(p)
		case t.IsDir():
			w.dir(p, filepath.Join(real, e.Name()))
		default:
			info, err := e.Info()
			if err != nil {
				w.skip(p, describeStatErr(err), Supported(p))
				continue
			}
			w.file(p, info, false)
		}
	}
}

// link follows the symlink at p.
func (w *walker) link(p string) {
	target, _ := os.Readlink(p)
	info, err := os.Stat(p)
	if err != nil {
		w.skip(p, fmt.Sprintf("symlink to %s: %s", target, describeStatErr(err)), Supported(p))
		return
	}
	if !info.IsDir() {
		w.file(p, info, false)
		return
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		w.skip(p, fmt.Sprintf("symlink to %s: %s", target, describeStatErr(err)), false)
		return
	}
	w.dir(p, real)
}

// file lists a regular file and names anything else. A file named on the
// command line (explicit) that cannot be read is an error; one found in a
// folder only when it looks like an article file.
func (w *walker) file(p string, info fs.FileInfo, explicit bool) {
	if why := notRegular(info.Mode()); why != "" {
		w.skip(p, why, explicit || Supported(p))
		return
	}
	w.files = append(w.files, ArticleFile{Path: p, Size: info.Size(), ModTime: info.ModTime()})
}

// notRegular says what a file is when it is not a regular file, "" when it
// is.
func notRegular(m fs.FileMode) string {
	what := "a special file"
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a block device"
	case m.IsDir():
		what = "a folder"
	}
	return what + ", not a regular file: not read"
}

// openRegular opens path for reading only if it is a regular file. The open
// is non-blocking, so a FIFO swapped in after the folder was listed does not
// hang the ingest; the check is on the opened file itself.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if why := notRegular(info.Mode()); why != "" {
		f.Close()
		return nil, &notRegularError{why}
	}
	return f, nil
}

// notRegularError is openRegular's refusal.
type notRegularError struct{ why string }

func (e *notRegularError) Error() string { return e.why }
