/** Commands that run science directly in the CLI process (hull, delaunay, entropy): registered here. */
export interface ExtraCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const extraCommands: Record<string, ExtraCommand> = {};
