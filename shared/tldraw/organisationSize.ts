/** Size of a new organisation card. Kept free of imports: the layout worker loads it without zod. */
export const DEFAULT_ORGANISATION_SIZE = { w: 200, h: 96 }
