export function findElectron(): { path: string; why?: undefined } | { path: null; why: string };
export function hasDisplay(): boolean;
