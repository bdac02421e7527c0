export type * from './connection.js';
export type * from './attribution.js';
export type * from './trace.js';
export type * from './analysis.js';
export type * from './report.js';
export { CONNECTION_STATES } from './connection.js';
export { REPORT_SCHEMA_VERSION } from './report.js';
export type * from './services.js';
