package imports

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// textProblem says what is wrong with a text cell that would store garbled
// text without anyone noticing, and how to fix it; "" when nothing is.
func textProblem(v string) string {
	if v == "" {
		return ""
	}
	if strings.ContainsRune(v, utf8.RuneError) {
		return fmt.Sprintf("%q holds U+FFFD (�), the mark of characters lost in a conversion: "+
			"retype them, or export the file again from the original as UTF-8 or GB18030", v)
	}
	if orig, ok := utf8ReadAsGB18030(v); ok {
		return fmt.Sprintf("%q is UTF-8 text read as GB18030 (it reads %q): the file mixes two encodings; "+
			"save the whole file once as UTF-8 (or once as GB18030) and import it again", v, orig)
	}
	if orig, ok := utf8ReadAsLatin1(v); ok {
		return fmt.Sprintf("%q is UTF-8 text read as Latin-1 (it reads %q): "+
			"save the file again as UTF-8 from the program that made it and import it again", v, orig)
	}
	for _, r := range v {
		if r != '\t' && r != '\n' && r != '\r' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return fmt.Sprintf("%q holds the control character %U: delete it (it is invisible in most programs)", v, r)
		}
	}
	return ""
}

// utf8ReadAsGB18030 reports whether v is what UTF-8 Chinese becomes when
// its bytes are decoded as GB18030 (鏉惧 for 松源), and returns the text
// it was. Genuine Chinese text, encoded back to GB18030, is almost never
// valid UTF-8 with Chinese in it.
func utf8ReadAsGB18030(v string) (string, bool) {
	if !nonASCII(v) {
		return "", false
	}
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(v))
	if err != nil || !utf8.Valid(b) || string(b) == v {
		return "", false
	}
	orig := string(b)
	return orig, nonASCII(orig) && utf8.RuneCountInString(orig) < utf8.RuneCountInString(v)
}

// utf8ReadAsLatin1 reports whether v is UTF-8 decoded as Latin-1 or
// Windows-1252 (æ¾æº for 松源), and returns the text it was.
func utf8ReadAsLatin1(v string) (string, bool) {
	// Plain ASCII reads the same in every code page, and neither code page
	// has a character past U+2122 (™): text holding one (Chinese, say)
	// cannot be their reading, and encoding it would only fail. Checked
	// first, it spares the encoders for almost every cell.
	if !nonASCII(v) {
		return "", false
	}
	for _, r := range v {
		if r > '\u2122' {
			return "", false
		}
	}
	for _, cm := range []*charmap.Charmap{charmap.Windows1252, charmap.ISO8859_1} {
		b, err := cm.NewEncoder().Bytes([]byte(v))
		if err == nil && utf8.Valid(b) && nonASCII(string(b)) && string(b) != v {
			return string(b), true
		}
	}
	return "", false
}

func nonASCII(s string) bool {
	for _, r := range s {
		if r >= 0x80 {
			return true
		}
	}
	return false
}

// checkText reports every garbled text cell of t, by line and column.
func checkText(rec *Records, t *Table) {
	for _, row := range t.Rows {
		for _, col := range t.Columns {
			if why := textProblem(row.Values[col]); why != "" {
				rec.Problems = append(rec.Problems, Problem{Line: row.Line, Column: col, Reason: why})
			}
		}
	}
}
