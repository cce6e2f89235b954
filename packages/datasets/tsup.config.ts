import { defineConfig } from 'tsup';
import { baseBuild } from '../../tsup.base';

export default defineConfig(baseBuild);
