package bot

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// RenderText writes a briefing for a terminal: numbered stories, bullets
// citing their outlets in [brackets], quotes with speakers, and a numbered
// list of sources with their links. Times are shown in UTC.
func RenderText(w io.Writer, b briefing.Briefing) error {
	bw := bufio.NewWriter(w)
	title := "Briefing"
	if t := clean(b.Topic); t != "" {
		title += ": " + t
	}
	fmt.Fprintln(bw, title)
	if !b.GeneratedAt.IsZero() {
		fmt.Fprintf(bw, "Generated %s\n", b.GeneratedAt.UTC().Format("2 Jan 2006 15:04 MST"))
	}
	if len(b.Stories) == 0 || b.NothingNew {
		fmt.Fprintln(bw, "\nNothing new to report.")
	}
	for i, st := range b.Stories {
		x := newSourceIndex(st)
		fmt.Fprintf(bw, "\n%d. %s\n", i+1, storyHeadline(st))
		if meta := storyMeta(st, len(x.list)); meta != "" {
			fmt.Fprintf(bw, "   %s\n", meta)
		}
		for _, bl := range st.Bullets {
			fmt.Fprintf(bw, "   • %s%s\n", clean(bl.Text), textCites(x, bl.Sources))
		}
		if len(st.Quotes) > 0 {
			fmt.Fprintln(bw, "   Quotes:")
			for _, q := range st.Quotes {
				fmt.Fprintf(bw, "   “%s”%s%s\n", quoteText(q), speakerSuffix(q, clean), textCites(x, q.Sources))
			}
		}
		if len(x.list) > 0 {
			fmt.Fprintln(bw, "   Sources:")
			for j, s := range x.list {
				name, title := sourceLabel(s)
				line := fmt.Sprintf("   [%d] %s", j+1, clean(name))
				if t := clean(title); t != "" {
					line += " — " + t
				}
				if u := clean(s.URL); u != "" {
					line += " <" + u + ">"
				}
				fmt.Fprintln(bw, line)
			}
		}
	}
	return bw.Flush()
}

// RenderMarkdown writes a briefing as CommonMark: a heading per story,
// bullets with linked [source] markers, block-quoted quotes with speakers,
// and the sources as a linked list. Article text is escaped so it renders as
// written.
func RenderMarkdown(w io.Writer, b briefing.Briefing) error {
	bw := bufio.NewWriter(w)
	title := "Briefing"
	if t := clean(b.Topic); t != "" {
		title += ": " + escape(t)
	}
	fmt.Fprintf(bw, "# %s\n", title)
	if !b.GeneratedAt.IsZero() {
		fmt.Fprintf(bw, "\n*Generated %s*\n", b.GeneratedAt.UTC().Format("2 Jan 2006 15:04 MST"))
	}
	if len(b.Stories) == 0 || b.NothingNew {
		fmt.Fprintln(bw, "\nNothing new to report.")
	}
	for _, st := range b.Stories {
		x := newSourceIndex(st)
		fmt.Fprintf(bw, "\n## %s\n", escape(storyHeadline(st)))
		if meta := storyMeta(st, len(x.list)); meta != "" {
			fmt.Fprintf(bw, "\n*%s*\n", escape(meta))
		}
		if len(st.Bullets) > 0 {
			fmt.Fprintln(bw)
			for _, bl := range st.Bullets {
				fmt.Fprintf(bw, "- %s%s\n", escape(clean(bl.Text)), mdCites(x, bl.Sources))
			}
		}
		for _, q := range st.Quotes {
			fmt.Fprintf(bw, "\n> “%s”%s%s\n", escape(quoteText(q)), speakerSuffix(q, func(s string) string { return "**" + escape(clean(s)) + "**" }), mdCites(x, q.Sources))
		}
		if len(x.list) > 0 {
			fmt.Fprintln(bw, "\n**Sources**")
			fmt.Fprintln(bw)
			for j, s := range x.list {
				name, title := sourceLabel(s)
				label := escape(clean(name))
				if t := clean(title); t != "" {
					label += ": " + escape(t)
				}
				fmt.Fprintf(bw, "%d. %s\n", j+1, mdLink(label, s.URL))
			}
		}
	}
	return bw.Flush()
}

func storyHeadline(st briefing.Story) string {
	if h := clean(st.Headline); h != "" {
		return h
	}
	if len(st.Bullets) > 0 {
		return clean(st.Bullets[0].Text)
	}
	return "Story"
}

// storyMeta is the span and outlet count line under a story's headline.
func storyMeta(st briefing.Story, nsrc int) string {
	var parts []string
	if !st.From.IsZero() || !st.To.IsZero() {
		parts = append(parts, span(st.From, st.To, time.UTC))
	}
	if nsrc > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", nsrc, plural(nsrc, "source", "sources")))
	}
	if c := coverageLine(st.Coverage, false); c != "" {
		parts = append(parts, "coverage: "+c)
	}
	return strings.Join(parts, " · ")
}

func quoteText(q briefing.Quote) string {
	return strings.Trim(clean(q.Text), "\"“” ")
}

func speakerSuffix(q briefing.Quote, render func(string) string) string {
	if s := clean(q.Speaker); s != "" {
		return " — " + render(s)
	}
	return ""
}

// textCites renders " [BBC, CNN]" from the outlets citing a line.
func textCites(x *sourceIndex, srcs []briefing.Source) string {
	var names []string
	for _, n := range citeNames(x, srcs) {
		names = append(names, clean(n.name))
	}
	if len(names) == 0 {
		return ""
	}
	return " [" + strings.Join(names, ", ") + "]"
}

// mdCites renders " [[BBC](url)] [[CNN](url)]" style linked markers.
func mdCites(x *sourceIndex, srcs []briefing.Source) string {
	names := citeNames(x, srcs)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(" \\[")
		b.WriteString(mdLink(escape(clean(n.name)), n.url))
		b.WriteString("\\]")
	}
	return b.String()
}

type citeName struct{ name, url string }

// citeNames lists each cited outlet once, in the order cited.
func citeNames(x *sourceIndex, srcs []briefing.Source) []citeName {
	_, cites := x.cited(srcs)
	out := make([]citeName, len(cites))
	for k, s := range cites {
		out[k] = citeName{name: sourceName(s), url: s.URL}
	}
	return out
}
