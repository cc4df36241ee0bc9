import { useCallback, useEffect, useMemo, useState } from 'react'
import { Tldraw, useTldrawCurrentUser, type Editor, type TLUserPreferences } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useI18n } from '../i18n'
import { OrganisationShapeUtil, OrganisationTool } from '../canvas/OrganisationShapeUtil'
import { registerPartnershipEffects } from '../canvas/partnershipEffects'
import { uiComponents, uiOverrides } from '../canvas/ui'
import { useRoom, type RoomUser } from '../sync/useRoom'
import type { RoomInfo } from '../lib/api'
import { ConnectionStatus } from '../panels/ConnectionStatus'
import { ExportMenu } from '../panels/ExportMenu'
import { Inspector } from '../panels/Inspector'
import { LanguageSwitch } from '../panels/LanguageSwitch'
import { Legend } from '../panels/Legend'
import { MapList } from '../panels/MapList'
import { MapMenu } from '../panels/MapMenu'
import { Participants } from '../panels/Participants'

const shapeUtils = [OrganisationShapeUtil]
const tools = [OrganisationTool]
// Fonts, icons and tldraw's translations are bundled: the app needs no CDN (meetings may be offline).
const assetUrls = getAssetUrlsByImport()
const licenseKey = import.meta.env.TLDRAW_LICENSE_KEY || undefined

type Tab = 'inspector' | 'list'

export function Board({ info, token, user }: { info: RoomInfo; token: string; user: RoomUser }) {
	const { t, lang } = useI18n()
	const readOnly = info.role === 'viewer'
	const room = useRoom({ roomId: info.room, token, user, shapeUtils, readOnly })
	const [editor, setEditor] = useState<Editor>()
	const [tab, setTab] = useState<Tab>('inspector')

	const [extraPrefs, setExtraPrefs] = useState<Partial<TLUserPreferences>>({})
	const userPreferences = useMemo<TLUserPreferences>(
		() => ({ ...extraPrefs, id: user.id, name: user.name, color: user.colour, locale: lang }),
		[extraPrefs, user, lang],
	)
	const setUserPreferences = useCallback((prefs: TLUserPreferences) => {
		const { id: _id, name: _name, color: _color, locale: _locale, ...rest } = prefs
		setExtraPrefs(rest)
	}, [])
	const tldrawUser = useTldrawCurrentUser({ userPreferences, setUserPreferences })

	useEffect(() => {
		editor?.updateInstanceState({ isReadonly: readOnly || room.schemaMismatch })
	}, [editor, readOnly, room.schemaMismatch])

	const onMount = useCallback((mounted: Editor) => {
		setEditor(mounted)
		const unregister = registerPartnershipEffects(mounted)
		return () => {
			unregister()
			setEditor(undefined)
		}
	}, [])

	return (
		<div className="app">
			<header className="topbar">
				<div className="brand" aria-hidden>
					<span className="brand__logo" />
					Maillage
				</div>
				<div className="topbar__title">
					<h1>{info.title || t('untitledMap')}</h1>
					<span className={`role-badge role-badge--${info.role}`}>{t(`role_${info.role}`)}</span>
				</div>
				<div className="topbar__spacer" />
				<ConnectionStatus status={room.status} error={room.error} invalidRecords={room.invalidRecords} />
				{editor && <Participants editor={editor} me={user} peers={room.peers} />}
				{editor && <ExportMenu editor={editor} doc={room.doc} title={info.title} />}
				{editor && info.role === 'facilitator' && <MapMenu editor={editor} doc={room.doc} room={info.room} token={token} />}
				<LanguageSwitch />
			</header>
			{room.schemaMismatch && (
				<div className="blocking-banner" role="alert" data-testid="schema-mismatch">
					<strong>{t('schemaMismatchTitle')}</strong> {t('schemaMismatchText')}
				</div>
			)}
			<div className="workspace">
				<main className="canvas" data-testid="board-canvas">
					<Tldraw
						store={room.store}
						shapeUtils={shapeUtils}
						tools={tools}
						overrides={uiOverrides}
						components={uiComponents}
						assetUrls={assetUrls}
						user={tldrawUser}
						licenseKey={licenseKey}
						onMount={onMount}
					/>
					{editor && <Legend />}
				</main>
				<aside className="sidebar" aria-label={t('sidebar')}>
					<div className="tabs" role="tablist">
						<button type="button" role="tab" aria-selected={tab === 'inspector'} className={tab === 'inspector' ? 'tab tab--on' : 'tab'} onClick={() => setTab('inspector')}>
							{t('tabInspector')}
						</button>
						<button type="button" role="tab" aria-selected={tab === 'list'} className={tab === 'list' ? 'tab tab--on' : 'tab'} onClick={() => setTab('list')}>
							{t('tabList')}
						</button>
					</div>
					<div className="sidebar__content">
						{editor && (tab === 'inspector' ? <Inspector editor={editor} readOnly={readOnly} /> : <MapList editor={editor} />)}
					</div>
				</aside>
			</div>
		</div>
	)
}
