import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { atom } from 'tldraw'
import type { Label } from '../../shared/model/vocabulary'
import type { Issue } from '../../shared/issues'
import { en } from './en'
import { fr } from './fr'
import type { Lang, MessageKey, Messages } from './types'

export type { Lang, MessageKey } from './types'

const catalogues: Record<Lang, Messages> = { fr, en }
const STORAGE_KEY = 'maillage:lang'

/** French unless the browser prefers another language; a choice made in the app wins. */
export function initialLang(): Lang {
	const stored = localStorage.getItem(STORAGE_KEY)
	if (stored === 'fr' || stored === 'en') return stored
	const preferred = navigator.language?.toLowerCase() ?? ''
	return preferred === '' || preferred.startsWith('fr') ? 'fr' : 'en'
}

/**
 * The current language as a signal, for what renders outside the provider: shapes drawn by
 * tldraw's export, which mounts its own React root.
 */
export const currentLang = atom<Lang>('maillage lang', 'fr')

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string

export function translator(lang: Lang): Translate {
	const messages = catalogues[lang]
	return (key, vars) => {
		const text = messages[key]
		return vars ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(vars[name] ?? all)) : text
	}
}

interface I18n {
	lang: Lang
	setLang(lang: Lang): void
	t: Translate
	/** The label of a shared vocabulary entry or field, in the current language. */
	label(l: Label): string
	issueText(i: Issue): string
}

const I18nContext = createContext<I18n | null>(null)

export function I18nProvider({ children }: { children: ReactNode }) {
	const [lang, setLangState] = useState<Lang>(() => {
		const first = initialLang()
		currentLang.set(first)
		document.documentElement.lang = first
		return first
	})
	const setLang = useCallback((next: Lang) => {
		localStorage.setItem(STORAGE_KEY, next)
		document.documentElement.lang = next
		currentLang.set(next)
		setLangState(next)
	}, [])
	const value = useMemo<I18n>(
		() => ({
			lang,
			setLang,
			t: translator(lang),
			label: (l) => l[lang],
			issueText: (i) => `${i.path.length ? i.path.join(' › ') : '—'} : ${i.message[lang]}`,
		}),
		[lang, setLang],
	)
	return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18n {
	const value = useContext(I18nContext)
	if (!value) throw new Error('useI18n outside I18nProvider')
	return value
}

/** The catalogue entries tldraw's own UI needs (tool names), per tldraw locale. */
export function tldrawTranslations(): Record<Lang, Record<string, string>> {
	return {
		fr: { 'tool.organisation': fr.toolOrganisation },
		en: { 'tool.organisation': en.toolOrganisation },
	}
}
