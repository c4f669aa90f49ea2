import type { Command } from '../command.ts'
import { assembleCommand } from './assemble.ts'
import { cancelCommand } from './cancel.ts'
import { doctorCommand } from './doctor.ts'
import { modelsCommand } from './models.ts'
import { pickCommand } from './pick.ts'
import { planCommand } from './plan.ts'
import { renderCommand } from './render.ts'
import { reviewCommand } from './review.ts'
import { schemaCommand } from './schema.ts'
import { statusCommand } from './status.ts'
import { validateCommand } from './validate.ts'
import { workerCommand } from './worker.ts'

/** Every `storyreel` command, in the order `--help` lists them. Register a new command with one line here. */
export const commands: readonly Command[] = [
  validateCommand,
  planCommand,
  renderCommand,
  pickCommand,
  reviewCommand,
  assembleCommand,
  schemaCommand,
  modelsCommand,
  statusCommand,
  workerCommand,
  cancelCommand,
  doctorCommand,
]
