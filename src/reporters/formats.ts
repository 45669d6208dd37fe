/**
 * The names `--format` and the `formats` config key accept. Kept apart from the reporters themselves
 * so that the config schema and --help read them without loading every renderer; REPORTERS in
 * index.ts is typed by this list, so a format without a reporter (or the reverse) does not compile.
 */
export const REPORT_FORMATS = ['json', 'text', 'md', 'junit', 'prom', 'html'] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];
