import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { issue, type Issue, type IssuePath } from '../issues'

// ─── Writing ───────────────────────────────────────────────────────────────────────────────────

/**
 * Characters XML 1.0 cannot carry, not even as character references: C0 controls other than tab,
 * line feed and carriage return, U+FFFE, U+FFFF and unpaired surrogates.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const NOT_XML_CHARS = new RegExp(NOT_XML_CHAR.source, 'gu')

export const isXmlSafe = (text: string) => !NOT_XML_CHAR.test(text)

/** What an XML file shows of a text: characters XML cannot carry become U+FFFD. */
export const xmlDisplayText = (text: string) => text.replace(NOT_XML_CHARS, '\uFFFD')

/**
 * JSON that XML can carry as is: JSON.stringify already escapes controls and unpaired surrogates,
 * only the two non-characters remain to escape.
 */
export const xmlSafeJson = (value: unknown) =>
	JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)

/** Escapes element content; a carriage return is kept as a reference, parsers would drop it. */
export const escapeText = (text: string) =>
	xmlDisplayText(text).replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'))

const attributeEscapes: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
	// Parsers turn raw white space in attributes into spaces: references keep it.
	'\t': '&#9;',
	'\n': '&#10;',
	'\r': '&#13;',
}

export const escapeAttribute = (text: string) => xmlDisplayText(text).replace(/[&<>"'\t\n\r]/g, (c) => attributeEscapes[c] ?? c)

export type XmlAttributes = Record<string, string | number | undefined>

function attributeList(attributes: XmlAttributes): string {
	return Object.entries(attributes)
		.filter((entry): entry is [string, string | number] => entry[1] !== undefined)
		.map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`)
		.join('')
}

/** An element with escaped attributes around already serialised child elements, one per line. */
export function element(name: string, attributes: XmlAttributes = {}, children: string[] = []): string {
	const attrs = attributeList(attributes)
	return children.length ? `<${name}${attrs}>\n${children.join('\n')}\n</${name}>` : `<${name}${attrs}/>`
}

/** An element holding text, escaped. */
export const textElement = (name: string, attributes: XmlAttributes, text: string) => `<${name}${attributeList(attributes)}>${escapeText(text)}</${name}>`

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

/**
 * Texts that XML cannot carry exactly, by field name, to be written beside the shown text as
 * JSON; undefined when every text is safe, which is the common case.
 */
export function exactTexts(texts: Record<string, string | undefined>): string | undefined {
	const unsafe = Object.entries(texts).filter((entry): entry is [string, string] => entry[1] !== undefined && !isXmlSafe(entry[1]))
	return unsafe.length ? xmlSafeJson(Object.fromEntries(unsafe)) : undefined
}

// ─── Reading ───────────────────────────────────────────────────────────────────────────────────

/** A parsed element: attributes by name, child elements by name (always arrays), text. */
export interface XmlElement {
	attributes: Record<string, string>
	children: Record<string, XmlElement[]>
	text: string
}

const TEXT = '#text'
const CDATA = '#cdata'
const ATTRIBUTES = ':@'

const parser = new XMLParser({
	// Keeps text, CDATA and elements in document order.
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	// Values are read as written: "007" stays a string, white space is kept.
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	cdataPropName: CDATA,
	// Decodes character references (&#13;), which the default leaves as they are.
	htmlEntities: true,
	removeNSPrefix: true,
})

/** A node as fast-xml-parser's ordered output holds it: `{ [tag]: children, ':@': attributes }`. */
type OrderedNode = Record<string, unknown>

const tagOf = (node: OrderedNode) => Object.keys(node).find((k) => k !== ATTRIBUTES)

function toElement(node: OrderedNode): XmlElement {
	const tag = tagOf(node) as string
	const result: XmlElement = { attributes: (node[ATTRIBUTES] as Record<string, string> | undefined) ?? {}, children: {}, text: '' }
	for (const child of node[tag] as OrderedNode[]) {
		const childTag = tagOf(child)
		if (childTag === undefined) continue
		if (childTag === TEXT) result.text += String(child[TEXT])
		else if (childTag === CDATA) result.text += (child[CDATA] as OrderedNode[]).map((c) => String(c[TEXT] ?? '')).join('')
		else (result.children[childTag] ??= []).push(toElement(child))
	}
	return result
}

export const childrenOf = (parent: XmlElement | undefined, name: string): XmlElement[] => parent?.children[name] ?? []
export const firstChild = (parent: XmlElement | undefined, name: string): XmlElement | undefined => childrenOf(parent, name)[0]

/**
 * Parses an XML document into its root element, refusing what must never be expanded: any
 * DOCTYPE (entity definitions make "billion laughs" bombs) is rejected before parsing.
 */
export function parseXml(text: string, rootName: string): { ok: true; root: XmlElement } | { ok: false; issues: Issue[] } {
	if (/<!DOCTYPE|<!ENTITY/i.test(text))
		return {
			ok: false,
			issues: [
				issue(
					[],
					'XML with a DOCTYPE or entity declarations is refused (they can expand into huge documents)',
					"un XML avec DOCTYPE ou déclarations d'entités est refusé (elles peuvent gonfler à l'infini)",
				),
			],
		}
	const checked = XMLValidator.validate(text)
	if (checked !== true) {
		const { line, col, msg } = checked.err
		return {
			ok: false,
			issues: [issue([], `malformed XML at line ${line}, column ${col}: ${msg}`, `XML mal formé à la ligne ${line}, colonne ${col} : ${msg}`)],
		}
	}
	let parsed: OrderedNode[]
	try {
		parsed = parser.parse(text) as OrderedNode[]
	} catch (e) {
		const reason = e instanceof Error ? e.message : String(e)
		return { ok: false, issues: [issue([], `unreadable XML: ${reason}`, `XML illisible : ${reason}`)] }
	}
	const root = parsed.find((node) => tagOf(node) === rootName)
	if (root === undefined) {
		const found = parsed.map(tagOf).filter((k): k is string => k !== undefined && !k.startsWith('?') && !k.startsWith('#'))
		return {
			ok: false,
			issues: [
				issue([], `expected a <${rootName}> root element, found ${found.map((k) => `<${k}>`).join(', ') || 'none'}`, `élément racine <${rootName}> attendu, trouvé ${found.map((k) => `<${k}>`).join(', ') || 'aucun'}`),
			],
		}
	}
	return { ok: true, root: toElement(root) }
}

/** The name under which records keep their exact texts (see `exactTexts`). */
export const EXACT_TEXTS = 'exactText'

/**
 * Puts back the exact texts a record carries beside its shown ones; the JSON must be an object
 * of strings, or the place is reported.
 */
export function restoreExactTexts(cells: Record<string, string | undefined>, where: IssuePath): Issue[] {
	const raw = cells[EXACT_TEXTS]
	if (raw === undefined || raw.trim() === '') return []
	let texts: unknown
	try {
		texts = JSON.parse(raw)
	} catch {
		texts = undefined
	}
	if (typeof texts !== 'object' || texts === null || Array.isArray(texts) || Object.values(texts).some((t) => typeof t !== 'string'))
		return [issue(where, 'expected a JSON object of texts', 'objet JSON de textes attendu')]
	Object.assign(cells, texts)
	return []
}
