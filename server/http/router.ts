import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { refusalOf } from '../../shared/api'
import { validate } from '../../shared/issues'
import { grant, type Access, type AccessContext, type Grant } from './access'
import { HttpError, readBody, readJson } from './respond'

/**
 * The HTTP router: a table of routes, each a method and a path pattern (`/api/rooms/:room/export`)
 * with its access rule, the zod schemas of its query and body, and its handler. For every route
 * the same steps run in the same order: path parameters (400), method (405), access (401/403),
 * query (400), body (413/400), then the handler, which only sees checked input.
 */

export type Method = 'GET' | 'POST'

/** A JSON body checked by a zod schema, or the raw text of a file (imports). */
type BodySpec = z.ZodType | 'text' | undefined
type BodyOf<S extends BodySpec> = S extends 'text' ? string : S extends z.ZodType ? z.output<S> : undefined
type QueryOf<S extends z.ZodType | undefined> = S extends z.ZodType ? z.output<S> : undefined

/** The `:name` parameters of a path pattern. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<Rest> : P extends `${string}:${infer Name}` ? Name : never
export type Params<P extends string> = { [K in ParamNames<P>]: string }

/** What a handler gets: the request, its path parameters, its checked query and body, and its caller. */
export type Call<P extends string, Q, B, A extends Access> = Grant<A> & {
	req: IncomingMessage
	res: ServerResponse
	params: Params<P>
	query: Q
	body: B
}

export interface RouteSpec<P extends string, A extends Access, QS extends z.ZodType | undefined, BS extends BodySpec> {
	/** `*` answers every method (health and metrics, probed with anything). */
	method: Method | '*'
	/** Literal segments and `:name` parameters, e.g. `/api/rooms/:room/versions/:version`. */
	path: P
	access: A
	/** Of the query string, as an object of its parameters (the first value of each). */
	query?: QS
	body?: BS
	handle(call: Call<P, QueryOf<QS>, BodyOf<BS>, A>): Promise<void> | void
}

export interface Route {
	method: Method | '*'
	path: string
	access: Access
	query?: z.ZodType
	body?: BodySpec
	handle(call: Call<string, unknown, unknown, Access>): Promise<void> | void
}

/** Declares a route; the handler's input is typed by its path, access rule and schemas. */
export function route<P extends string, A extends Access, QS extends z.ZodType | undefined = undefined, BS extends BodySpec = undefined>(
	spec: RouteSpec<P, A, QS, BS>,
): Route {
	return spec as unknown as Route
}

/** A check of a path parameter, refused with that error as soon as a path reaches it. */
export interface ParamCheck {
	valid(value: string): boolean
	refusal(): HttpError
}

export interface RouterOptions {
	access: AccessContext
	/** Byte limits of a JSON body and of a file. */
	limits: { json: number; text: number }
	params?: Record<string, ParamCheck>
}

/** Handles a request whose path a route matches; false when none does (the caller answers then). */
export type Router = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>

type PathMatch = { params: Record<string, string> } | { refused: HttpError } | undefined

const segmentsOf = (path: string) => path.split('/')

function matchPath(pattern: readonly string[], path: readonly string[], checks: Record<string, ParamCheck>): PathMatch {
	const params: Record<string, string> = {}
	for (const [i, part] of pattern.entries()) {
		const segment = path[i]
		if (segment === undefined) return undefined
		if (!part.startsWith(':')) {
			if (part !== segment) return undefined
			continue
		}
		const name = part.slice(1)
		const check = checks[name]
		if (check && !check.valid(segment)) return { refused: check.refusal() }
		params[name] = segment
	}
	return pattern.length === path.length ? { params } : undefined
}

/** The query string as an object, the first value of each parameter (as `URLSearchParams.get`). */
function queryObject(search: URLSearchParams): Record<string, string> {
	// fromEntries keeps the last of equal keys: reversed, the first; `__proto__` stays a plain key.
	return Object.fromEntries([...search].reverse())
}

function checked<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query'): z.output<S> {
	const result = validate(schema, value)
	if (result.ok) return result.value
	const { code, message } = refusalOf(where, result.issues)
	throw new HttpError(400, code, message, {}, result.issues)
}

async function bodyOf(spec: BodySpec, req: IncomingMessage, limits: RouterOptions['limits']): Promise<unknown> {
	if (spec === undefined) return undefined
	if (spec === 'text') return (await readBody(req, limits.text)).toString('utf8')
	return checked(spec, await readJson(req, limits.json), 'body')
}

export function createRouter(routes: readonly Route[], options: RouterOptions): Router {
	const table = routes.map((r) => ({ route: r, pattern: segmentsOf(r.path) }))
	const checks = options.params ?? {}
	return async (req, res, url) => {
		const path = segmentsOf(url.pathname)
		const matches: { route: Route; params: Record<string, string> }[] = []
		let refused: HttpError | undefined
		for (const { route, pattern } of table) {
			const match = matchPath(pattern, path, checks)
			if (match && 'params' in match) matches.push({ route, params: match.params })
			else if (match) refused ??= match.refused
		}
		if (matches.length === 0) {
			if (refused) throw refused
			return false
		}
		const method = req.method ?? 'GET'
		const found = matches.find((m) => m.route.method === method || m.route.method === '*')
		if (!found) {
			const allowed = [...new Set(matches.map((m) => m.route.method))].join(', ')
			throw new HttpError(405, 'method_not_allowed', 'method not allowed', { Allow: allowed })
		}
		const { route, params } = found
		const caller = await grant(options.access, req, route.access, params['room'])
		const query = route.query ? checked(route.query, queryObject(url.searchParams), 'query') : undefined
		const body = await bodyOf(route.body, req, options.limits)
		await route.handle({ ...caller, req, res, params, query, body } as Call<string, unknown, unknown, Access>)
		return true
	}
}
