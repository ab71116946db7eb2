package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxLinks bounds the symbolic links followed on one path, as the kernel's
// ELOOP does (40 on Linux).
const maxLinks = 40

// CheckPath walks path from the root down, component by component, as the
// kernel resolves it (a ".." after a link leaves the link's target), and
// refuses it when any component is a symbolic link owned by another user
// than this one or root: such a link, even as a parent of a state, report
// or ledger directory, would let its owner redirect the job's writes. The
// targets of the links it accepts are walked the same way. Components that
// do not exist yet end the walk without an error (the job creates them).
func CheckPath(path string) error {
	if path == "" {
		return nil
	}
	if !filepath.IsAbs(path) {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("check path %s: %w", path, err)
		}
		path = wd + string(filepath.Separator) + path
	}
	return walkPath(path, splitPath(path))
}

// walkPath resolves the components todo from the root, checking each link.
func walkPath(orig string, todo []string) error {
	resolved := "/"
	for links := 0; len(todo) > 0; {
		c := todo[0]
		todo = todo[1:]
		if c == ".." {
			resolved = filepath.Dir(resolved)
			continue
		}
		next := filepath.Join(resolved, c)
		li, err := os.Lstat(next)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return fmt.Errorf("check path %s: %w", orig, err)
		}
		if li.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if err := checkLinkOwner(next, li); err != nil {
			return parentLinkError(orig, next, err)
		}
		if links++; links > maxLinks {
			return &UnsafeError{Path: orig, Reason: fmt.Sprintf("has more than %d symbolic links on its way", maxLinks)}
		}
		target, err := os.Readlink(next)
		if err != nil {
			return fmt.Errorf("check path %s: %w", orig, err)
		}
		if filepath.IsAbs(target) {
			resolved = "/"
		}
		todo = append(splitPath(target), todo...)
	}
	return nil
}

// parentLinkError names both the path asked for and the link on its way.
func parentLinkError(orig, link string, err error) error {
	var ue *UnsafeError
	if link == filepath.Clean(orig) || !errors.As(err, &ue) {
		return err
	}
	return &UnsafeError{Path: orig, Reason: "goes through " + link + ", which " + ue.Reason +
		"; use a path without it (e.g. the directory it points to, once you trust it)"}
}

// splitPath is the non-empty components of p other than ".".
func splitPath(p string) []string {
	var out []string
	for _, c := range strings.Split(p, string(filepath.Separator)) {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}
