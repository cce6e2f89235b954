export * from './architecture';
export * from './kernels';
export * from './training';
export * from './weights';
