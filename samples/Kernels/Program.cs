using ConvGen.Samples.Kernels;

string folder = args.Length > 0 ? args[0] : "pictures";
string path = KernelOfAThree.Run(Console.Out, folder);
Console.WriteLine($"written: {Path.GetFullPath(path)}");
