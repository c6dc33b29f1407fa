import { Command } from 'commander';
import { registerAudit } from './audit';
import { registerCheck } from './check';
import { CliIO } from './io';
import { registerLessons } from './lessons';
import { registerReplay } from './replay';
import { registerReport } from './report';

/**
 * Each command module exports one register function: it adds its sub-command to the program and,
 * when it runs, reports its exit code through `setExitCode`.
 */
export type RegisterCommand = (program: Command, io: CliIO, setExitCode: (code: number) => void) => void;

/** The commands, in the order `--help` lists them. Each module is added by the issue that builds it. */
export const COMMANDS: RegisterCommand[] = [registerAudit, registerCheck, registerReport, registerReplay, registerLessons];
