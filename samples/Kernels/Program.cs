using ConvGen.Samples.Kernels;

// Usage: Kernels [PICTURES_FOLDER] [FASHION_MNIST_FOLDER]
string pictures = args.Length > 0 ? args[0] : "pictures";
string fashionMnist = args.Length > 1 ? args[1] : Path.Combine("..", "shared", "data", "fashion-mnist");
int exit = KernelsSample.Run(Console.Out, Console.Error, pictures, fashionMnist);
Console.WriteLine($"pictures: {Path.GetFullPath(pictures)}");
return exit;
