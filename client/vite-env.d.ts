/// <reference types="vite/client" />

interface ImportMetaEnv {
	/** tldraw licence key, taken from the build environment (see vite.config.ts). */
	readonly TLDRAW_LICENSE_KEY?: string
}
