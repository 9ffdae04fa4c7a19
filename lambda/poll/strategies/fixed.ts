import { applyJitter, toWaitSeconds, type FixedPollingConfig, type WaitAnswer, type WaitQuestion } from './strategy';

/** The same wait after every poll, jittered. */
export function fixedWait(config: FixedPollingConfig, question: WaitQuestion): WaitAnswer {
  return {
    waitSeconds: toWaitSeconds(applyJitter(config.intervalSeconds, config.jitter, question.random)),
    memory: {},
  };
}
