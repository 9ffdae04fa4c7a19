import { startWatchOfTask, type WatchStartDependencies } from '../shared/start-watch';
import type { DiscoveredWatchStarter } from './sweep-handler';

/** Where a discovered task's id was read, for the start log line. */
const LISTED_TASK_ID_PATH = 'ListImportTasks.tasks[].taskId';

/**
 * Starts watches of the tasks a sweep found unwatched through the start function's own rule:
 * one watch per task, none for a task whose watch runs or announced its terminal status.
 */
export function discoveredWatchStarter(deps: WatchStartDependencies): DiscoveredWatchStarter {
  return (task) =>
    startWatchOfTask(
      {
        kind: 'watch',
        taskId: task.taskId,
        graphId: task.graphId ?? null,
        trigger: 'sweep',
        taskIdPath: LISTED_TASK_ID_PATH,
        rewatch: false,
      },
      deps,
    );
}
