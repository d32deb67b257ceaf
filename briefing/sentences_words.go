package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word lists for the sentence splitter. The splitter decides whether a full
// stop after an abbreviation ends the sentence by looking at the next word, so
// abbreviations are grouped by how they behave, not merely listed.

// segClass says how a full stop after an abbreviation is treated.
type segClass uint8

const (
	segClassNone segClass = iota
	// segClassTitle comes before a name ("Mr. Smith", "Gen. Petraeus", "Mt.
	// Fuji"): the stop never ends the sentence.
	segClassTitle
	// segClassPost closes a name or phrase ("Apple Inc.", "Jr.", "U.S."): it
	// ends the sentence only when a typical sentence opener follows.
	segClassPost
	// segClassNumber comes before a number ("No. 5", "pp. 3-4", "Fig. 2"); with
	// no number after it, it is an ordinary word ("The answer was No.").
	segClassNumber
	// segClassDate is a month ("Jan. 5"): news style abbreviates a month only
	// before a day, so the stop ends the sentence unless a number follows.
	segClassDate
	// segClassNever never ends a sentence ("vs.", "e.g.", "approx.").
	segClassNever
	// segClassList ends a sentence before any capitalised word ("etc.").
	segClassList
)

// segAbbrevs maps lower-case abbreviations (without the final stop) to their
// class. Titles only count as titles when capitalised; lower-case "st." is a
// street after a number ("5th st. near the light").
var segAbbrevs = map[string]segClass{
	// titles and ranks before names
	"mr": segClassTitle, "mrs": segClassTitle, "ms": segClassTitle, "messrs": segClassTitle,
	"mmes": segClassTitle, "mme": segClassTitle, "mlle": segClassTitle, "dr": segClassTitle,
	"drs": segClassTitle, "prof": segClassTitle, "profs": segClassTitle, "gen": segClassTitle,
	"lt": segClassTitle, "col": segClassTitle, "maj": segClassTitle, "capt": segClassTitle,
	"cmdr": segClassTitle, "cdr": segClassTitle, "adm": segClassTitle, "sgt": segClassTitle,
	"cpl": segClassTitle, "pvt": segClassTitle, "brig": segClassTitle, "gov": segClassTitle,
	"sen": segClassTitle, "sens": segClassTitle, "rep": segClassTitle, "reps": segClassTitle,
	"rev": segClassTitle, "hon": segClassTitle, "pres": segClassTitle, "supt": segClassTitle,
	"insp": segClassTitle, "det": segClassTitle, "fr": segClassTitle, "msgr": segClassTitle,
	"atty": segClassTitle, "amb": segClassTitle, "st": segClassTitle, "ste": segClassTitle,
	"mt": segClassTitle, "ft": segClassTitle, "pfc": segClassTitle, "cmdt": segClassTitle,
	"gov't": segClassPost, "sr": segClassPost, "jr": segClassPost,

	// after names: companies, people, places
	"inc": segClassPost, "corp": segClassPost, "ltd": segClassPost, "co": segClassPost,
	"cos": segClassPost, "bros": segClassPost, "llc": segClassPost, "plc": segClassPost,
	"llp": segClassPost, "pty": segClassPost, "assn": segClassPost, "assoc": segClassPost,
	"dept": segClassPost, "div": segClassPost, "univ": segClassPost, "govt": segClassPost,
	"intl": segClassPost, "natl": segClassPost, "mfg": segClassPost, "ave": segClassPost,
	"blvd": segClassPost, "rd": segClassPost, "hwy": segClassPost, "sq": segClassPost,
	"al": segClassPost, "eds": segClassPost, "esq": segClassPost,

	// before numbers
	"no": segClassNumber, "nos": segClassNumber, "nr": segClassNumber, "n°": segClassNumber,
	"nº": segClassNumber, "fig": segClassNumber, "figs": segClassNumber, "pp": segClassNumber,
	"p": segClassNumber, "vol": segClassNumber, "vols": segClassNumber, "art": segClassNumber,
	"sec": segClassNumber, "ch": segClassNumber, "chap": segClassNumber, "para": segClassNumber,
	"pt": segClassNumber, "tel": segClassNumber, "ext": segClassNumber, "ref": segClassNumber,
	"op": segClassNumber, "ed": segClassNumber, "eq": segClassNumber, "tab": segClassNumber,
	"rs": segClassNumber,

	// never a sentence end
	"vs": segClassNever, "v": segClassNever, "approx": segClassNever, "cf": segClassNever,
	"viz": segClassNever, "ca": segClassNever, "esp": segClassNever, "incl": segClassNever,
	"e.g": segClassNever, "i.e": segClassNever, "a.k.a": segClassNever, "resp": segClassNever,

	"etc": segClassList,
}

// segCapAbbrevs are abbreviations that are only abbreviations when written
// capitalised, because their lower-case forms are ordinary words ("ill",
// "wash", "mar"). Weekdays are left out: "Sun" and "Sat" are more often a
// newspaper and a verb than a day.
var segCapAbbrevs = map[string]segClass{
	"Jan": segClassDate, "Feb": segClassDate, "Mar": segClassDate, "Apr": segClassDate,
	"Jun": segClassDate, "Jul": segClassDate, "Aug": segClassDate, "Sep": segClassDate,
	"Sept": segClassDate, "Oct": segClassDate, "Nov": segClassDate, "Dec": segClassDate,

	"Ala": segClassPost, "Ariz": segClassPost, "Ark": segClassPost, "Calif": segClassPost,
	"Colo": segClassPost, "Conn": segClassPost, "Del": segClassPost, "Fla": segClassPost,
	"Ga": segClassPost, "Ill": segClassPost, "Ind": segClassPost, "Kan": segClassPost,
	"Kans": segClassPost, "Ky": segClassPost, "La": segClassPost, "Md": segClassPost,
	"Mass": segClassPost, "Mich": segClassPost, "Minn": segClassPost, "Miss": segClassPost,
	"Mo": segClassPost, "Mont": segClassPost, "Neb": segClassPost, "Nev": segClassPost,
	"Okla": segClassPost, "Ore": segClassPost, "Pa": segClassPost, "Penn": segClassPost,
	"Tenn": segClassPost, "Tex": segClassPost, "Va": segClassPost, "Vt": segClassPost,
	"Wash": segClassPost, "Wis": segClassPost, "Wyo": segClassPost, "Ont": segClassPost,
	"Que": segClassPost, "Alta": segClassPost,
}

// segCompanies are the company suffixes among the segClassPost
// abbreviations.
var segCompanies = segSet("inc", "corp", "ltd", "co", "cos", "llc", "plc", "llp", "pty")

// segStarters are capitalised words that typically open an English sentence
// and rarely follow an abbreviation inside one. "U.S. Government" continues;
// "U.S. How about you?" starts anew.
var segStarters = segSet(
	"A", "An", "The", "This", "That", "These", "Those", "There", "Then", "Thus",
	"Their", "They", "He", "She", "It", "Its", "I", "We", "You", "His", "Her",
	"Our", "My", "Your", "But", "And", "Or", "So", "Yet", "Nor", "However",
	"Meanwhile", "Moreover", "Also", "Still", "Instead", "Indeed", "Nevertheless",
	"Nonetheless", "Furthermore", "Besides", "Otherwise", "Therefore", "Hence",
	"In", "On", "At", "For", "From", "To", "With", "Without", "By", "After",
	"Before", "When", "Whenever", "While", "If", "As", "Although", "Though",
	"Since", "Because", "Unless", "Until", "Once", "What", "Where", "Why", "How",
	"Who", "Whom", "Whose", "Which", "Some", "Many", "Most", "Much", "More",
	"Other", "Others", "All", "Any", "Both", "Each", "Every", "Few", "Several",
	"No", "None", "Not", "Now", "Today", "Yesterday", "Tomorrow", "Last", "Next",
	"Earlier", "Later", "According", "Being", "Did", "Does", "Do", "Is", "Are",
	"Was", "Were", "Has", "Have", "Had", "Can", "Could", "Would", "Should",
	"Shall", "Might", "Must", "Let", "Please", "Here", "Even", "Only", "Such",
	"Despite", "During", "Under", "Over", "Among", "Asked", "Millions",
	"Thousands", "Hundreds", "Just", "Like", "Unlike", "Overall", "Separately",
	"Elsewhere", "Nearly", "Almost", "Yes", "Well", "Oh", "Sources", "Shares",
	"Former", "Officials", "Police", "Analysts", "Experts", "Critics",
	"Investors", "Sales", "Prices", "Profits", "Speaking", "Never", "Nothing",
	"Nobody", "Everyone", "Everything", "Something", "Someone", "Perhaps",
	"Maybe", "Sometimes", "Often", "Again", "Finally", "Initially", "Currently",
	"Recently", "Already", "Together", "Whether", "Reuter", "REUTER",
)

// segStrongStarters almost never open a line inside a sentence, so they mark
// a new sentence even where the layout is ambiguous.
var segStrongStarters = segSet(
	"The", "This", "These", "That", "He", "She", "It", "They", "We", "His",
	"Her", "Its", "Their", "But", "However", "Meanwhile",
)

// segTimeWords can follow "5 p.m." inside the sentence.
var segTimeWords = segSet(
	"Eastern", "Pacific", "Central", "Mountain", "Atlantic", "Local", "Greenwich",
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December", "Today", "Tomorrow", "Tonight",
)

// segOpeners are words that start a phrase which is not yet a clause: "At 5
// a.m. Mr. Smith went to the bank" has not ended at "a.m.".
var segOpeners = segSet(
	"at", "by", "on", "in", "until", "till", "before", "after", "around", "from",
	"since", "about", "when", "while", "if", "as", "shortly", "just", "between",
	"near", "circa", "until", "once", "because", "although", "though", "whenever",
)

// segSpeechVerbs mark an attribution after a quoted question or exclamation:
// "Why?" Smith asked.
var segSpeechVerbs = segSet(
	"said", "says", "asked", "asks", "told", "tells", "added", "adds", "replied",
	"replies", "wrote", "writes", "explained", "shouted", "cried", "insisted",
	"continued", "whispered", "argued", "noted", "declared", "exclaimed",
	"wondered", "screamed", "yelled", "laughed", "joked", "quipped", "demanded",
)

// segContinuations are lower-case words that cannot end a heading or a
// sentence, so a line ending with one continues on the next line.
var segContinuations = segSet(
	"the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "with", "from",
	"and", "or", "but", "nor", "as", "that", "than", "which", "who", "whose",
	"whom", "its", "their", "his", "her", "our", "your", "my", "this", "these",
	"those", "into", "onto", "upon", "about", "over", "under", "between",
	"among", "per", "via", "is", "are", "was", "were", "be", "been", "has",
	"have", "had", "will", "would", "could", "should", "may", "might", "can",
	"not", "no", "if", "when", "while", "said", "says", "such", "some", "any",
	"all", "both", "each", "every", "also", "after", "before", "since", "until",
	"against", "during", "without", "within", "through", "toward", "towards",
)

func segSet(words ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// segClassOf looks up an abbreviation (without its final stop).
func segClassOf(word string) segClass {
	if c, ok := segCapAbbrevs[word]; ok {
		return c
	}
	c, ok := segAbbrevs[strings.ToLower(word)]
	if !ok {
		return segClassNone
	}
	if c == segClassTitle {
		if !unicode.IsUpper(segFirstRune(word)) {
			// "5th st. near the light": lower case, after the name.
			return segClassPost
		}
		if !strings.ContainsFunc(word, unicode.IsLower) {
			// "the FT. But": an acronym, not "Ft." for Fort.
			return segClassNone
		}
	}
	return c
}

// segIsDotted reports whether word is an abbreviation with inner stops, each
// part one or two letters: U.S, E.U, a.m, e.g, Ph.D, U.S.A.
func segIsDotted(word string) bool {
	parts := 0
	for word != "" {
		part := word
		if i := strings.IndexByte(word, '.'); i >= 0 {
			part, word = word[:i], word[i+1:]
		} else {
			word = ""
		}
		n := 0
		for _, r := range part {
			if !unicode.IsLetter(r) {
				return false
			}
			n++
		}
		if n < 1 || n > 2 {
			return false
		}
		parts++
	}
	return parts >= 2
}

// segIsTime reports whether a dotted abbreviation is a.m. or p.m.
func segIsTime(word string) bool {
	return len(word) == 3 && (word[0]|0x20 == 'a' || word[0]|0x20 == 'p') && word[1] == '.' && word[2]|0x20 == 'm'
}

// segIsTimeQualifier reports whether a word after "5 p.m." still belongs to
// the time: a zone (EST, GMT), a day, a month or "Eastern".
func segIsTimeQualifier(w string) bool {
	l := segLeadingLetters(w)
	if l == "" {
		return false
	}
	if len(l) <= 4 && !strings.ContainsFunc(l, unicode.IsLower) {
		return true
	}
	if segCapAbbrevs[l] == segClassDate {
		return true
	}
	_, ok := segTimeWords[l]
	return ok
}

// segIsStarter reports whether a word typically opens a sentence.
func segIsStarter(w string) bool {
	_, ok := segStarters[segLeadingLetters(w)]
	return ok
}

// segIsTitleWord reports whether a word is a title before a name, with or
// without its stop: "Mr.", "Mr", "Gen.".
func segIsTitleWord(w string) bool {
	l := segLeadingLetters(w)
	if len(l) < 2 || !unicode.IsUpper(segFirstRune(l)) || !strings.ContainsFunc(l, unicode.IsLower) {
		return false
	}
	return segAbbrevs[strings.ToLower(l)] == segClassTitle
}

// segIsCapitalised reports whether a word is capitalised but not all
// capitals: "Dean", not "KG".
func segIsCapitalised(w string) bool {
	l := segLeadingLetters(w)
	return unicode.IsUpper(segFirstRune(l)) && strings.ContainsFunc(l, unicode.IsLower)
}

// segIsInitial reports whether a word is a capital letter and a stop: "R.".
func segIsInitial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && len(w) > n && w[n] == '.'
}

// segIsCamel reports whether a lower-case word has a capital inside, like
// "iPhone" or "eBay", which may open a sentence.
func segIsCamel(w string) bool {
	for i, r := range segLeadingLetters(w) {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// segIsPlainWord reports whether word is an ordinary lower-case word, not an
// abbreviation.
func segIsPlainWord(word string) bool {
	if utf8.RuneCountInString(word) < 3 || segClassOf(word) != segClassNone {
		return false
	}
	for _, r := range word {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}
