export const CLI_OUT_DIR: string;
export const CLI_ENTRY: string;
export const CLI_STAMP: string;
export function sha256(file: string): string;
export function staleCliSources(root: string): string[] | undefined;
