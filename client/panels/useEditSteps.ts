import { useRef } from 'react'
import type { Editor } from 'tldraw'

/**
 * Undo steps for a form: the first change after a field gets the focus opens a new step of the
 * editor's history, so one undo reverts one field edit (a whole word typed, not a letter, and
 * not a whole run of edits either).
 */
export function useEditSteps(editor: Editor) {
	const fresh = useRef(true)
	return {
		onFocus: () => {
			fresh.current = true
		},
		beforeWrite: () => {
			if (!fresh.current) return
			fresh.current = false
			editor.markHistoryStoppingPoint('inspector edit')
		},
	}
}
