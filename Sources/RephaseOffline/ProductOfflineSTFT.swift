import RephaseCore

// The offline algorithms at the product's STFT sizes (RephaseCore's ProductSTFT), for the host
// tools. Value generics take literals only and the core cannot name these types, so they
// restate ProductSTFT's N and H here; ProductOfflineSTFTTests checks that the two agree.
public typealias ProductWholeSignalSTFT = WholeSignalSTFT<512, 128>
public typealias ProductFastGriffinLim = FastGriffinLim<512, 128>
public typealias ProductMelADMM = MelADMM<512, 128>
