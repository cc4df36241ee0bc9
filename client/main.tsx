import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './styles.css'
import { I18nProvider, useI18n } from './i18n'
import { registerServiceWorker } from './lib/serviceWorker'
import { AdminPage } from './pages/AdminPage'
import { CenteredCard } from './pages/CenteredCard'
import { ProjectorPage } from './pages/ProjectorPage'
import { RoomPage } from './pages/RoomPage'

function Home() {
	const { t } = useI18n()
	return (
		<CenteredCard title={t('homeTitle')} subtitle={t('homeSubtitle')}>
			<p>{t('homeText')}</p>
		</CenteredCard>
	)
}

function App() {
	const path = location.pathname
	const room = /^\/room\/([A-Za-z0-9_-]{1,64})\/?$/.exec(path)?.[1]
	if (room) return <RoomPage room={room} />
	const projected = /^\/room\/([A-Za-z0-9_-]{1,64})\/projector\/?$/.exec(path)?.[1]
	if (projected) return <ProjectorPage room={projected} />
	if (/^\/admin\/?$/.test(path)) return <AdminPage />
	return <Home />
}

const root = document.getElementById('root')
if (!root) throw new Error('missing #root')
createRoot(root).render(
	<StrictMode>
		<I18nProvider>
			<App />
		</I18nProvider>
	</StrictMode>,
)
registerServiceWorker()
