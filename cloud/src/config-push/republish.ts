import { topics } from '@tally/proto';
import type { Stage, ServerContext } from '../server';
import { latestConfigsOfAllDevices } from '../db/queries/config-versions';
import { openConfig } from '../secrets/camera-sources';
import { keyringOf } from '../secrets/config-keyring';

/**
 * The embedded broker keeps retained messages in memory, so after a restart it holds no configs: this stage
 * re-publishes every device's latest config (same version and hash, so a device that has it changes nothing).
 */
export function configRepublishStage(ctx: ServerContext): Stage {
  return {
    name: 'config-republish',
    async start() {
      if (ctx.brokerMode !== 'embedded') return;
      const configs = await latestConfigsOfAllDevices(ctx.database.db);
      const ring = keyringOf(ctx.config);
      for (const stored of configs) {
        const config = openConfig(ring, stored);
        await ctx.publish(topics.config(config.deviceId), JSON.stringify(config), { retain: true, qos: 1 });
      }
      ctx.log.info({ devices: configs.length }, 'retained configs re-published');
    },
    async stop() {},
  };
}
