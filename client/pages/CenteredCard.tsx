import type { ReactNode } from 'react'
import { LanguageSwitch } from '../panels/LanguageSwitch'

/** The frame of the pages around the board: join, admin, errors. */
export function CenteredCard({ title, subtitle, children, wide }: { title: string; subtitle?: string; children?: ReactNode; wide?: boolean }) {
	return (
		<div className="page">
			<header className="page__header">
				<div className="brand">
					<span className="brand__logo" />
					Maillage
				</div>
				<LanguageSwitch />
			</header>
			<main className={wide ? 'card card--wide' : 'card'}>
				<h1 className="card__title">{title}</h1>
				{subtitle && <p className="card__subtitle">{subtitle}</p>}
				{children}
			</main>
		</div>
	)
}
