import { exponentialWait } from './exponential';
import { fixedWait } from './fixed';
import { progressAwareWait } from './progress-aware';
import type { PollingStrategyConfig, WaitAnswer, WaitQuestion } from './strategy';

export * from './strategy';

/** Asks the configured strategy how long to wait before the next poll. */
export function nextPollWait(config: PollingStrategyConfig, question: WaitQuestion): WaitAnswer {
  switch (config.kind) {
    case 'fixed':
      return fixedWait(config, question);
    case 'exponential':
      return exponentialWait(config, question);
    case 'progress-aware':
      return progressAwareWait(config, question);
  }
}
