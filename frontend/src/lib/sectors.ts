export const SECTORS = ["A","B","C","D","E","F","G","H","I","J","K","L","M","N","O","P","Q","R","S","T","U"] as const;
export type Sector = (typeof SECTORS)[number];
export function isSector(value: string): value is Sector {
  return (SECTORS as readonly string[]).includes(value);
}
