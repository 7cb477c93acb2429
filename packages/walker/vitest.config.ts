import { dispersyPreset } from '@dispersy/vitest-config';

export default dispersyPreset();
