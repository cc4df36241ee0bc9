import { useEffect, useRef, type ReactNode } from 'react'

/** A native modal dialog: focus trap, Escape and backdrop come with <dialog>. */
export function Modal({ title, onClose, children, footer, testId, wide }: { title: string; onClose(): void; children: ReactNode; footer: ReactNode; testId?: string; wide?: boolean }) {
	const ref = useRef<HTMLDialogElement>(null)
	useEffect(() => {
		const dialog = ref.current
		if (dialog && !dialog.open) dialog.showModal()
	}, [])
	return (
		<dialog ref={ref} className={wide ? 'modal modal--wide' : 'modal'} onClose={onClose} onCancel={onClose} data-testid={testId}>
			<h2 className="modal__title">{title}</h2>
			<div className="modal__body">{children}</div>
			<div className="modal__footer">{footer}</div>
		</dialog>
	)
}
