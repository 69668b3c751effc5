// Slurm: the Slurm executor. It sends a planned sweep to a cluster as two job arrays (stages,
// then runs) whose tasks pull runs from the shared store, and squares the store with what Slurm
// says (docs/slurm.md).
//
// Reading order:
// 1. `SlurmSubmitter` — what is left to train, the scripts, `sbatch`; `BatchScript` — one
//    array's sbatch script; `SlurmFolder` — `runs/<sweep>/slurm/` and `jobs.json`.
// 2. `ArrayTask` — what each array task runs on its node: the local scheduler in pull mode, USR1
//    handling and the task's own requeue.
// 3. `SlurmQueue` (`SlurmTask`) — squeue and sacct, read; `SlurmTools` — running Slurm's commands.
// 4. `SlurmMonitor` — `--wait`; `SlurmReconciler` — `ablate status` and `ablate cancel`.
