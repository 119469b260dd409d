import { AdminService } from './admin';
import { ApplicationService } from './applications';
import { ContractService } from './contracts';
import { ContractSignerService } from './contractSigners';
import { DocumentService } from './documents';
import { LetterService } from './letters';
import { MinutesService } from './minutes';
import { MinutesParticipantService } from './minutesParticipants';
import { ProcessAccess } from './processAccess';
import { ProcessService } from './processes';
import { type ServiceDeps } from './serviceDeps';
import { WorkspaceService } from './workspace';

/** One service per process, built once from the injected dependencies; routers and tests call these, never the stores or Temporal directly. */
export function createServices(deps: ServiceDeps) {
  return {
    contracts: new ContractService(deps),
    contractSigners: new ContractSignerService(deps),
    minutes: new MinutesService(deps),
    minutesParticipants: new MinutesParticipantService(deps),
    applications: new ApplicationService(deps),
    letters: new LetterService(deps),
    documents: new DocumentService(deps),
    processes: new ProcessService(deps),
    admin: new AdminService(deps),
    workspace: new WorkspaceService(deps),
    visibility: new ProcessAccess(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
