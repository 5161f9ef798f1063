/**
 * The district generator's old home: see `District.ts`.
 *
 * @since 0.1.0
 */
export { type DistrictOptions, xiqingYear as generateDistrict } from "./district/Xiqing.js"
