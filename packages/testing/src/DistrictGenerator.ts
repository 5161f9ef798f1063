/**
 * The district generator under its old name: see `District.ts` (the one
 * generator; this is its default, Xiqing shape).
 *
 * @deprecated use `District` (`District.generateDistrict` is this function)
 * @since 0.1.0
 */
export { type DistrictOptions, generateDistrict } from "./District.js"
