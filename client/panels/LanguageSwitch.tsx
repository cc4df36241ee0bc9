import { langs, type Lang } from '../i18n/types'
import { useI18n } from '../i18n'

export function LanguageSwitch() {
	const { lang, setLang, t } = useI18n()
	return (
		<div className="segmented segmented--small" role="radiogroup" aria-label={t('language')}>
			{langs.map((l: Lang) => (
				<button key={l} type="button" role="radio" aria-checked={lang === l} className={lang === l ? 'on' : ''} onClick={() => setLang(l)}>
					{l.toUpperCase()}
				</button>
			))}
		</div>
	)
}
