package repl

import (
	prompt "github.com/c-bata/go-prompt"
)

// Moving and deleting by word, as readline's Alt-B, Alt-F and
// Alt-Backspace: a word is a run of characters other than spaces.
// go-prompt's own GoLeftWord, GoRightWord and DeleteWord count the
// characters to move over in bytes where the buffer counts them in
// characters, so a line holding é, 日本 or an emoji put the cursor in the
// wrong place, or panicked (a negative count to delete).

// goLeftWord moves the cursor to the start of the word before it.
func goLeftWord(buf *prompt.Buffer) {
	before := []rune(buf.Document().TextBeforeCursor())
	buf.CursorLeft(len(before) - wordStart(before))
}

// goRightWord moves the cursor to the end of the word after it.
func goRightWord(buf *prompt.Buffer) {
	buf.CursorRight(wordEnd([]rune(buf.Document().TextAfterCursor())))
}

// deleteWordBefore deletes from the start of the word before the cursor
// to the cursor.
func deleteWordBefore(buf *prompt.Buffer) {
	before := []rune(buf.Document().TextBeforeCursor())
	buf.DeleteBeforeCursor(len(before) - wordStart(before))
}

// wordStart is where the last word of text starts, in characters: spaces at
// its end are passed over first.
func wordStart(text []rune) int {
	i := len(text)
	for i > 0 && text[i-1] == ' ' {
		i--
	}
	for i > 0 && text[i-1] != ' ' {
		i--
	}
	return i
}

// wordEnd is where the first word of text ends, in characters: spaces at
// its start are passed over first.
func wordEnd(text []rune) int {
	i := 0
	for i < len(text) && text[i] == ' ' {
		i++
	}
	for i < len(text) && text[i] != ' ' {
		i++
	}
	return i
}
