import {
  applyJitter,
  toWaitSeconds,
  type ExponentialPollingConfig,
  type WaitAnswer,
  type WaitQuestion,
} from './strategy';

/** Capped exponential backoff counted in polls, jittered. */
export function exponentialWait(config: ExponentialPollingConfig, question: WaitQuestion): WaitAnswer {
  const exponent = Math.max(0, question.pollCount - 1);
  const uncapped = config.initialWaitSeconds * Math.pow(config.growthRate, exponent);
  const capped = Math.min(config.maxWaitSeconds, uncapped);
  return {
    waitSeconds: toWaitSeconds(applyJitter(capped, config.jitter, question.random)),
    memory: {},
  };
}
