import { useEffect, useRef, useState } from 'react'

/** A popover's open state that also closes on Escape and on a press anywhere outside it. */
export function usePopover<E extends HTMLElement = HTMLDivElement>() {
	const [open, setOpen] = useState(false)
	const ref = useRef<E>(null)
	useEffect(() => {
		if (!open) return
		const onPointer = (event: PointerEvent) => {
			if (ref.current && !ref.current.contains(event.target as Node)) setOpen(false)
		}
		const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false)
		document.addEventListener('pointerdown', onPointer, true)
		document.addEventListener('keydown', onKey)
		return () => {
			document.removeEventListener('pointerdown', onPointer, true)
			document.removeEventListener('keydown', onKey)
		}
	}, [open])
	return { open, setOpen, ref }
}
