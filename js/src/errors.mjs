// @ts-check
/**
 * The errors the client gives to callers (promises of events): they are told apart by class, so
 * a page can ignore the ordinary "not connected" and report the rest.
 */

/** The error a push gets when there is no joined view to answer it. */
export class NotConnected extends Error {}

/** The error of a `phx-target` that names no component of the page or matches no element. */
export class TargetError extends Error {}
