import {
	DefaultStylePanel,
	DefaultToolbar,
	ToolbarItem,
	useEditor,
	useValue,
	type TLComponents,
	type TLUiOverrides,
	type TLUiStylePanelProps,
} from 'tldraw'
import { ORGANISATION_SHAPE } from '../../shared/tldraw/organisationShape'
import { tldrawTranslations } from '../i18n'
import { fitMap } from './fit'
import { CanvasMarksLayer } from './marks'
import { partnershipOf } from './partnershipEffects'

export const ORGANISATION_SHORTCUT = 'o'

/** The tools a network map needs, organisations first after selection. */
const toolbarTools = ['select', 'hand', ORGANISATION_SHAPE, 'arrow', 'text', 'note', 'eraser']

export const uiOverrides: TLUiOverrides = {
	tools(editor, tools) {
		// "o" is tldraw's ellipse shortcut; on a network map it means organisation.
		const ellipse = tools['ellipse']
		if (ellipse) tools['ellipse'] = { ...ellipse, kbd: undefined }
		tools[ORGANISATION_SHAPE] = {
			id: ORGANISATION_SHAPE,
			label: 'tool.organisation',
			icon: 'geo-rectangle',
			kbd: ORGANISATION_SHORTCUT,
			onSelect: () => editor.setCurrentTool(ORGANISATION_SHAPE),
		}
		return tools
	},
	actions(editor, actions) {
		// Fit the map to the part of the canvas the legend does not cover.
		const fit = actions['zoom-to-fit']
		if (fit) actions['zoom-to-fit'] = { ...fit, onSelect: () => fitMap(editor) }
		return actions
	},
	translations: tldrawTranslations(),
}

function Toolbar() {
	return (
		<DefaultToolbar>
			{toolbarTools.map((id) => (
				<ToolbarItem key={id} tool={id} />
			))}
		</DefaultToolbar>
	)
}

/** Tools whose shapes are styled freely (annotations); the model's shapes are styled by the model. */
const freelyStyledTools = new Set(['text', 'note', 'draw', 'geo', 'line', 'highlight'])

/** Shown only when there is something to style freely, so it does not cover the map. */
function StylePanel(props: TLUiStylePanelProps) {
	const editor = useEditor()
	const show = useValue(
		'style panel wanted',
		() => {
			const shapes = editor.getSelectedShapes()
			if (shapes.length === 0) return freelyStyledTools.has(editor.getCurrentToolId())
			return shapes.some((s) => s.type !== ORGANISATION_SHAPE && partnershipOf(s) === undefined)
		},
		[editor],
	)
	return show ? <DefaultStylePanel {...props} /> : null
}

export const uiComponents: TLComponents = {
	Toolbar,
	StylePanel,
	// The page menu would let people create pages the map does not have.
	PageMenu: null,
	HelpMenu: null,
	OnTheCanvas: CanvasMarksLayer,
}
