import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatCount, formatFixed } from '../levels.js';

export const rule = defineRule({
  id: 'redis-persistence',
  component: 'cache',
  category: 'cache',
  description: 'Last RDB save failed or AOF write / rewrite errors (SPEC-THRESHOLDS Redis row: critical).',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const persistence = redis?.persistence;
    if (!redis || !persistence) return NOT_APPLICABLE;
    const fork = persistence.latestForkMs.value;
    const forkNote = fork !== null && fork > 0 ? ` The last fork took ${formatFixed(fork, 1)} ms.` : '';
    if (persistence.rdbLastBgsaveStatus === 'err') {
      context.report({
        severity: 'critical',
        subject: INSTANCE,
        title: 'Redis RDB snapshot failing',
        message:
          `The last background save (BGSAVE) of ${describeNode(redis)} failed; ${formatCount(persistence.rdbChangesSinceLastSave.value ?? 0)} changes are not on disk.` +
          `${forkNote} With stop-writes-on-bgsave-error yes (the default) Redis refuses writes until a save succeeds.`,
        evidence: { metric: 'redis.persistence.rdbLastBgsaveStatus', value: 'err', unit: '', threshold: 'ok' },
        recommendation:
          'Read the Redis log for the cause ("Background saving error", "Can\'t save in background: fork: Cannot allocate memory"): free disk space in the `dir` directory, ' +
          'allow overcommit (sysctl vm.overcommit_memory=1) so the fork succeeds, then run BGSAVE and check LASTSAVE.',
      });
    }
    const aofProblems = [
      persistence.aofLastWriteStatus === 'err' ? 'the last AOF write failed' : null,
      persistence.aofLastBgrewriteStatus === 'err' ? 'the last AOF rewrite (BGREWRITEAOF) failed' : null,
    ].filter((problem): problem is string => problem !== null);
    if (persistence.aofEnabled && aofProblems.length > 0) {
      context.report({
        severity: 'critical',
        subject: INSTANCE,
        title: 'Redis AOF errors',
        message: `On ${describeNode(redis)} ${aofProblems.join(' and ')}.${forkNote} Writes acknowledged since may be lost on a restart.`,
        evidence: {
          metric: persistence.aofLastWriteStatus === 'err' ? 'redis.persistence.aofLastWriteStatus' : 'redis.persistence.aofLastBgrewriteStatus',
          value: 'err',
          unit: '',
          threshold: 'ok',
        },
        recommendation:
          'Read the Redis log for the write error (disk full, read-only filesystem, permission on appenddirname), fix it, then run BGREWRITEAOF and check INFO persistence again.',
      });
    }
  },
});
