export function findChromium(options?: { install?: boolean }): Promise<string | null>;
export const CHROMIUM_ARGS: string[];
