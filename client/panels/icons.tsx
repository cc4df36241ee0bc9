/** Small inline icons: emoji are missing from many systems' fonts (and from headless browsers). */
export function LockIcon({ open = false, size = 14 }: { open?: boolean; size?: number }) {
	return (
		<svg width={size} height={size} viewBox="0 0 16 16" aria-hidden className="icon">
			<rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
			<path d={open ? 'M5.5 7V4.8a2.5 2.5 0 0 1 4.9-.7' : 'M5.5 7V4.8a2.5 2.5 0 0 1 5 0V7'} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
		</svg>
	)
}

export function PinIcon({ size = 14 }: { size?: number }) {
	return (
		<svg width={size} height={size} viewBox="0 0 16 16" aria-hidden className="icon">
			<path d="M6 1.5h4l-.6 4.2 2.6 2.3v1.2H4V8l2.6-2.3z" fill="currentColor" />
			<path d="M8 9.2v5.3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
		</svg>
	)
}
