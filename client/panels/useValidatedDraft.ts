import { useEffect, useRef, useState } from 'react'
import { isEqual } from 'tldraw'
import type { z } from 'zod'
import { validate, type Issue } from '../../shared/issues'

/**
 * A form's working copy of a record: every change is validated with the model's zod schema and
 * written through only when valid; otherwise the issues are shown and the record stays as it was.
 * When the record changes elsewhere (a peer, undo) while the draft is valid, the draft follows.
 */
export function useValidatedDraft<S extends z.ZodType>(
	schema: S,
	current: z.output<S>,
	write: (value: z.output<S>) => void,
	initialIssues: Issue[] = [],
) {
	const [draft, setDraft] = useState<z.output<S>>(current)
	const [issues, setIssues] = useState<Issue[]>(initialIssues)
	const lastWritten = useRef(current)

	useEffect(() => {
		if (issues.length === 0 && !isEqual(current, lastWritten.current)) {
			lastWritten.current = current
			setDraft(current)
		}
	}, [current, issues.length])

	const update = (next: z.output<S>) => {
		setDraft(next)
		const result = validate(schema, next)
		if (!result.ok) {
			setIssues(result.issues)
			return
		}
		setIssues([])
		if (!isEqual(result.value, lastWritten.current)) {
			lastWritten.current = result.value
			write(result.value)
		}
	}
	return { draft, issues, update }
}
