import { Command } from 'commander';
import { CliIO } from './io';

/**
 * Each command module exports one register function: it adds its sub-command to the program and,
 * when it runs, reports its exit code through `setExitCode`.
 */
export type RegisterCommand = (program: Command, io: CliIO, setExitCode: (code: number) => void) => void;

/** The commands, in the order `--help` lists them. Each module is added by the issue that builds it. */
export const COMMANDS: RegisterCommand[] = [];
